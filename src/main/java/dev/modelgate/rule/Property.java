package dev.modelgate.rule;

import java.util.function.DoublePredicate;

/**
 * One typed, validated threshold of a rule, e.g. {@code max-ratio}.
 *
 * @param valid     what values make sense; checked when a rule is built from a config
 * @param validText the same in words, for error messages ("a positive number")
 */
public record Property(String name, double defaultValue, String description, DoublePredicate valid, String validText) {

    public static Property positive(String name, double dflt, String description) {
        return new Property(name, dflt, description, v -> v > 0, "a positive number");
    }

    public static Property ratioBelowOne(String name, double dflt, String description) {
        return new Property(name, dflt, description, v -> v > 0 && v <= 1, "a number in (0, 1]");
    }

    public static Property ratioAboveOne(String name, double dflt, String description) {
        return new Property(name, dflt, description, v -> v >= 1, "a number of at least 1");
    }

    public static Property any(String name, double dflt, String description) {
        return new Property(name, dflt, description, v -> true, "a number");
    }

    public static Property wholeAtLeastOne(String name, double dflt, String description) {
        return new Property(name, dflt, description, v -> v >= 1 && v == Math.rint(v), "a whole number of at least 1");
    }

    public static Property count(String name, double dflt, String description) {
        return new Property(name, dflt, description, v -> v >= 0 && v == Math.rint(v), "a whole number of at least 0");
    }
}
