package dev.modelgate.rule;

import java.util.List;
import java.util.function.DoublePredicate;

/**
 * One typed, validated setting of a rule: a number such as {@code max-ratio}, or a choice among names such as
 * {@code statistic: l2}. A number whose default is NaN is an optional limit, off until a config sets it.
 *
 * @param valid     what numbers make sense; checked when a rule is built from a config
 * @param validText the same in words, for error messages ("a positive number")
 * @param choices   the allowed names for a choice setting; empty for a number
 */
public record Property(String name, double defaultValue, String description, DoublePredicate valid, String validText,
                       List<String> choices, String defaultChoice) {

    public Property {
        choices = List.copyOf(choices);
    }

    public boolean isChoice() { return !choices.isEmpty(); }

    public boolean isOptional() { return !isChoice() && Double.isNaN(defaultValue); }

    private static Property number(String name, double dflt, String description, DoublePredicate valid, String validText) {
        return new Property(name, dflt, description, valid, validText, List.of(), null);
    }

    public static Property positive(String name, double dflt, String description) {
        return number(name, dflt, description, v -> v > 0, "a positive number");
    }

    /** An optional positive limit, off unless a config sets it. */
    public static Property optionalPositive(String name, String description) {
        return number(name, Double.NaN, description, v -> v > 0, "a positive number");
    }

    public static Property ratioBelowOne(String name, double dflt, String description) {
        return number(name, dflt, description, v -> v > 0 && v <= 1, "a number in (0, 1]");
    }

    public static Property ratioAboveOne(String name, double dflt, String description) {
        return number(name, dflt, description, v -> v >= 1, "a number of at least 1");
    }

    public static Property nonNegative(String name, double dflt, String description) {
        return number(name, dflt, description, v -> v >= 0, "a number of at least 0");
    }

    public static Property any(String name, double dflt, String description) {
        return number(name, dflt, description, v -> true, "a number");
    }

    public static Property wholeAtLeastOne(String name, double dflt, String description) {
        return number(name, dflt, description, v -> v >= 1 && v == Math.rint(v), "a whole number of at least 1");
    }

    public static Property count(String name, double dflt, String description) {
        return number(name, dflt, description, v -> v >= 0 && v == Math.rint(v), "a whole number of at least 0");
    }

    public static Property choice(String name, String dflt, String description, String... choices) {
        return new Property(name, Double.NaN, description, v -> false, "one of " + String.join(", ", choices), List.of(choices), dflt);
    }
}
