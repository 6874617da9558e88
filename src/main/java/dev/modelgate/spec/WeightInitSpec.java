package dev.modelgate.spec;

/**
 * How a layer's weights start. Either a named DL4J scheme ({@code xavier}, {@code relu}, also DL4J's own
 * {@code normal} and {@code uniform}, scaled by fan-in) or an explicit distribution with its parameters
 * (people plant explosions with {@code {distribution: normal, std: 100}}).
 *
 * @param distribution true for an explicit distribution ({@code scheme} is then {@code normal} or {@code uniform})
 */
public record WeightInitSpec(String scheme, boolean distribution, double mean, double std, double lower, double upper) {
    public static final WeightInitSpec XAVIER = named("xavier");

    public static WeightInitSpec named(String scheme) { return new WeightInitSpec(scheme, false, 0, 0, 0, 0); }
    public static WeightInitSpec normal(double mean, double std) { return new WeightInitSpec("normal", true, mean, std, 0, 0); }
    public static WeightInitSpec uniform(double lower, double upper) { return new WeightInitSpec("uniform", true, 0, 0, lower, upper); }

    public boolean isNormal() { return distribution && scheme.equals("normal"); }
    public boolean isUniform() { return distribution && scheme.equals("uniform"); }

    @Override public String toString() {
        if (isNormal()) return "normal(" + fmt(mean) + ", " + fmt(std) + ")";
        if (isUniform()) return "uniform(" + fmt(lower) + ", " + fmt(upper) + ")";
        return scheme;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
