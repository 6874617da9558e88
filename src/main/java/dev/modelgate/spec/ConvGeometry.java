package dev.modelgate.spec;

/**
 * Kernel, stride, padding and dilation of a 2-D window (conv or pooling), each as [height, width].
 * {@code same} padding follows DL4J's ConvolutionMode.Same: output = ceil(input / stride), explicit padding ignored.
 */
public record ConvGeometry(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean same) {

    /** Effective kernel extent once dilation spreads it out. */
    public int extent(int axis) {
        return kernel[axis] + (kernel[axis] - 1) * (dilation[axis] - 1);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(pair(kernel)).append(" stride ").append(pair(stride));
        sb.append(same ? " same" : (padding[0] == 0 && padding[1] == 0 ? " valid" : " pad " + pair(padding)));
        if (dilation[0] != 1 || dilation[1] != 1) sb.append(" dilation ").append(pair(dilation));
        return sb.toString();
    }

    static String pair(int[] v) {
        return v[0] == v[1] ? Integer.toString(v[0]) : v[0] + "x" + v[1];
    }

    @Override public boolean equals(Object o) {
        return o instanceof ConvGeometry g && java.util.Arrays.equals(kernel, g.kernel) && java.util.Arrays.equals(stride, g.stride)
                && java.util.Arrays.equals(padding, g.padding) && java.util.Arrays.equals(dilation, g.dilation) && same == g.same;
    }

    @Override public int hashCode() { return describe().hashCode(); }

    @Override public String toString() { return describe(); }
}
