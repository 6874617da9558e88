package dev.modelgate.text;

import java.util.Collection;

/**
 * One named argument of a {@link Template}, already formatted by {@link Numbers}: a rule passes values, never text
 * it formatted itself.
 */
public record Arg(String name, String text) {
    public Arg {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an argument needs a name");
        if (text == null) throw new IllegalArgumentException("argument {" + name + "} has no value");
    }

    /** A measured quantity, as the measured and limit columns show it ({@link Numbers#value(double)}). */
    public static Arg value(String name, double v) { return new Arg(name, Numbers.value(v)); }

    /** A ratio with its x ({@link Numbers#ratio(double)}). */
    public static Arg ratio(String name, double r) { return new Arg(name, Numbers.ratio(r)); }

    /** A count with thousands separators ({@link Numbers#count(long)}). */
    public static Arg count(String name, long n) { return new Arg(name, Numbers.count(n)); }

    /** A whole number as is, without separators: layer widths, iterations (50, 1000). */
    public static Arg bytes(String name, long n) { return new Arg(name, Numbers.bytes(n)); }

    public static Arg integer(String name, long n) { return new Arg(name, Long.toString(n)); }

    /** A name or phrase, as is (a layer name, an operation). */
    public static Arg text(String name, String s) { return new Arg(name, s); }

    /** Names joined by ", ". */
    public static Arg list(String name, Collection<String> items) { return new Arg(name, String.join(", ", items)); }
}
