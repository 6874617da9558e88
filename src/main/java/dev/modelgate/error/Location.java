package dev.modelgate.error;

/** A place in a file: 1-based line and column, or 0 where unknown. */
public record Location(int line, int column) {
    public static final Location UNKNOWN = new Location(0, 0);

    public boolean known() { return line > 0; }

    @Override public String toString() { return known() ? line + ":" + column : ""; }
}
