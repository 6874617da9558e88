package dev.modelgate.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A message with named placeholders, {@code {layer}: output channels {from} -> {to} ({measured}x, max allowed {limit}x)},
 * declared once (a constant of a rule class) with the names of the arguments it takes. {@link #MEASURED} and
 * {@link #LIMIT} are not declared: they are filled from the result's measured value and limit with
 * {@link Numbers#value(Double)}, exactly as the measured and limit columns show them.
 *
 * <p>Mistakes are programming errors found when the template is declared (a placeholder that is not declared, a
 * declared argument the text never shows, a stray brace: the class does not load) or when it is filled (an argument
 * missing, unknown or given twice; {@code {measured}} without a measured value), never silently shown to users.
 */
public final class Template {
    public static final String MEASURED = "measured", LIMIT = "limit";

    private final String pattern;
    private final List<Object> parts; // String literal or Placeholder
    private final Set<String> placeholders;
    private final Set<String> arguments;

    private record Placeholder(String name) {}

    private Template(String pattern, List<Object> parts, Set<String> placeholders, Set<String> arguments) {
        this.pattern = pattern;
        this.parts = parts;
        this.placeholders = placeholders;
        this.arguments = arguments;
    }

    /**
     * A template taking exactly the arguments named (besides measured and limit).
     *
     * @throws IllegalArgumentException for a stray or unclosed brace, a placeholder not declared, or a declared
     *                                  argument the text does not show
     */
    public static Template of(String pattern, String... arguments) {
        List<Object> parts = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '}') throw new IllegalArgumentException("stray '}' at " + i + " in template: " + pattern);
            if (c != '{') {
                literal.append(c);
                continue;
            }
            int end = pattern.indexOf('}', i);
            if (end < 0) throw new IllegalArgumentException("unclosed '{' at " + i + " in template: " + pattern);
            String name = pattern.substring(i + 1, end);
            if (!name.matches("[a-z][a-zA-Z0-9]*")) throw new IllegalArgumentException("bad placeholder {" + name + "} in template: " + pattern);
            if (literal.length() > 0) parts.add(literal.toString());
            literal.setLength(0);
            parts.add(new Placeholder(name));
            names.add(name);
            i = end;
        }
        if (literal.length() > 0) parts.add(literal.toString());
        Set<String> declared = new LinkedHashSet<>(List.of(arguments));
        if (declared.size() != arguments.length) throw new IllegalArgumentException("an argument is declared twice in template: " + pattern);
        for (String n : declared) {
            if (n.equals(MEASURED) || n.equals(LIMIT)) throw new IllegalArgumentException("{" + n + "} is filled from the result; do not declare it: " + pattern);
            if (!names.contains(n)) throw new IllegalArgumentException("declared argument {" + n + "} does not appear in template: " + pattern);
        }
        for (String n : names) {
            if (!n.equals(MEASURED) && !n.equals(LIMIT) && !declared.contains(n)) {
                throw new IllegalArgumentException("placeholder {" + n + "} is not a declared argument of template: " + pattern);
            }
        }
        return new Template(pattern, List.copyOf(parts), Collections.unmodifiableSet(names), Collections.unmodifiableSet(declared));
    }

    public String pattern() { return pattern; }

    /** Every placeholder the text shows, {@code measured} and {@code limit} included. */
    public Set<String> placeholders() { return placeholders; }

    /** The arguments a caller passes (placeholders without measured and limit). */
    public Set<String> arguments() { return arguments; }

    public boolean shows(String placeholder) { return placeholders.contains(placeholder); }

    /**
     * The message.
     *
     * @throws IllegalArgumentException when an argument is missing, unknown or given twice, or the text shows
     *                                  {@code {measured}} / {@code {limit}} and the value is null
     */
    public String fill(Double measured, Double limit, Arg... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Arg a : args) {
            if (!arguments.contains(a.name())) throw new IllegalArgumentException("unknown argument {" + a.name() + "} for template: " + pattern);
            if (values.put(a.name(), a.text()) != null) throw new IllegalArgumentException("argument {" + a.name() + "} given twice for template: " + pattern);
        }
        for (String n : arguments) {
            if (!values.containsKey(n)) throw new IllegalArgumentException("argument {" + n + "} missing for template: " + pattern);
        }
        if (shows(MEASURED)) {
            if (measured == null) throw new IllegalArgumentException("template shows {measured} but the result has no measured value: " + pattern);
            values.put(MEASURED, Numbers.value(measured));
        }
        if (shows(LIMIT)) {
            if (limit == null) throw new IllegalArgumentException("template shows {limit} but the result has no limit: " + pattern);
            values.put(LIMIT, Numbers.value(limit));
        }
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) sb.append(p instanceof Placeholder ph ? values.get(ph.name()) : (String) p);
        return sb.toString();
    }

    /** Whether {@code message} could have been made from this template. */
    public boolean matches(String message) {
        return matcher(message).matches();
    }

    /**
     * The text a placeholder was filled with in a message made from this template, or null when the message was not
     * made from it. For tests and checks: e.g. that the {@code {measured}} of a message equals the measured column.
     */
    public String extract(String message, String placeholder) {
        java.util.regex.Matcher m = matcher(message);
        if (!m.matches()) return null;
        int i = groups().indexOf(placeholder);
        return i < 0 ? null : m.group(i + 1);
    }

    /** The distinct placeholders in order of first appearance: the capturing groups of {@link #matcher}. */
    private List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (Object p : parts) if (p instanceof Placeholder ph && !groups.contains(ph.name())) groups.add(ph.name());
        return groups;
    }

    /** What {@link Numbers#value(double)} writes: 4.0, -1000, 0.4625, 1.0e-5, NaN, Infinity. */
    private static final String NUMBER = "-?(?:[0-9]+(?:\\.[0-9]+)?(?:e[-+][0-9]+)?|NaN|Infinity)";

    private java.util.regex.Matcher matcher(String message) {
        StringBuilder regex = new StringBuilder("^");
        List<String> groups = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Placeholder ph) {
                int seen = groups.indexOf(ph.name());
                if (seen < 0) groups.add(ph.name());
                boolean number = ph.name().equals(MEASURED) || ph.name().equals(LIMIT);
                regex.append(seen >= 0 ? "\\" + (seen + 1) : number ? "(" + NUMBER + ")" : "(.*?)");
            } else {
                regex.append(java.util.regex.Pattern.quote((String) p));
            }
        }
        return java.util.regex.Pattern.compile(regex.append("$").toString(), java.util.regex.Pattern.DOTALL).matcher(message);
    }

    @Override public String toString() { return pattern; }
}
