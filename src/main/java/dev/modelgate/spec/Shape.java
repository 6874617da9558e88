package dev.modelgate.spec;

/** The shape of one example flowing between layers (the batch dimension is never part of it). */
public sealed interface Shape {

    /** The form {@link #parse} reads back: {@code 64}, {@code 1,28,28}, {@code seq:10,20} (how options cross to a worker). */
    @com.fasterxml.jackson.annotation.JsonValue
    default String text() {
        if (this instanceof Sequence q) return "seq:" + q.features() + "," + q.length();
        return toString().replace('x', ',');
    }

    /** Number of values in one example; an ArithmeticException where it does not fit in a long (never a negative count). */
    long size();

    /** Flat feature vector, e.g. {@code 64}. */
    record Features(long features) implements Shape {
        public long size() { return features; }
        @Override public String toString() { return Long.toString(features); }
    }

    /** Image in channels x height x width (NCHW without N), e.g. {@code 1x28x28}. */
    record Image(long channels, long height, long width) implements Shape {
        public long size() { return Math.multiplyExact(Math.multiplyExact(channels, height), width); }
        @Override public String toString() { return channels + "x" + height + "x" + width; }
    }

    /** Volume in channels x depth x height x width (DL4J's 3-D convolutions, NCDHW without N). */
    record Volume(long channels, long depth, long height, long width) implements Shape {
        public long size() { return Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(channels, depth), height), width); }
        @Override public String toString() { return channels + "x" + depth + "x" + height + "x" + width; }
    }

    /** Sequence of feature vectors: features x time steps, e.g. {@code 10x20 (seq)}. */
    record Sequence(long features, long length) implements Shape {
        public long size() { return Math.multiplyExact(features, length); }
        @Override public String toString() { return features + "x" + length + "(seq)"; }
    }

    /**
     * Parses the command line's {@code --input-shape}: {@code 64} (features), {@code 1,28,28}
     * (channels,height,width) or {@code seq:10,20} (features,length).
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    static Shape parse(String text) {
        String t = text.trim();
        boolean seq = t.startsWith("seq:");
        if (seq) t = t.substring(4);
        String[] parts = t.split("[,x]", -1);
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a shape; valid: 64 (features), 1,28,28 (channels,height,width), seq:10,20 (features,length)");
            }
            if (dims[i] <= 0) throw new IllegalArgumentException("'" + text + "': every dimension must be positive");
        }
        if (seq && dims.length == 2) return new Sequence(dims[0], dims[1]);
        if (!seq && dims.length == 1) return new Features(dims[0]);
        if (!seq && dims.length == 3) return new Image(dims[0], dims[1], dims[2]);
        throw new IllegalArgumentException("'" + text + "' is not a shape; valid: 64 (features), 1,28,28 (channels,height,width), seq:10,20 (features,length)");
    }
}
