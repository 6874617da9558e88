package dev.modelgate.render;

import java.util.List;
import java.util.Map;

/** The renderers by format name: the one place that knows which formats exist. */
public final class Renderers {
    private static final Map<String, java.util.function.BiFunction<Style, RuleCatalog, Renderer>> ALL = new java.util.LinkedHashMap<>();

    static {
        ALL.put("text", (s, rules) -> new TextRenderer(s));
        ALL.put("json", (s, rules) -> new JsonRenderer());
        ALL.put("junit", (s, rules) -> new JunitRenderer());
        ALL.put("markdown", (s, rules) -> new MarkdownRenderer());
        ALL.put("github", (s, rules) -> new GithubRenderer());
        ALL.put("html", (s, rules) -> new HtmlRenderer());
        ALL.put("sarif", (s, rules) -> new SarifRenderer(rules));
    }

    /** The usual file ending of each format, for golden files and default report names. */
    public static String extension(String format) {
        return switch (format) {
            case "text" -> "txt";
            case "junit" -> "junit.xml";
            case "markdown" -> "md";
            case "github" -> "github.txt";
            default -> format;
        };
    }

    private Renderers() {}

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static boolean exists(String name) {
        return ALL.containsKey(name);
    }

    /** A renderer without rule descriptions (formats that describe rules then name them by id). */
    public static Renderer create(String name, Style style) {
        return create(name, style, RuleCatalog.NONE);
    }

    /** @param rules what each rule is, for the formats that describe the rules they report (sarif) */
    public static Renderer create(String name, Style style, RuleCatalog rules) {
        var f = ALL.get(name);
        if (f == null) throw new IllegalArgumentException("unknown format " + name);
        return f.apply(style, rules);
    }
}
