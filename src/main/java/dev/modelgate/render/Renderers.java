package dev.modelgate.render;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The renderers by format name: the one place that knows which formats exist. */
public final class Renderers {
    private static final Map<String, Function<Style, Renderer>> ALL = new java.util.LinkedHashMap<>();

    static {
        ALL.put("text", TextRenderer::new);
        ALL.put("json", s -> new JsonRenderer());
        ALL.put("junit", s -> new JunitRenderer());
        ALL.put("markdown", s -> new MarkdownRenderer());
        ALL.put("github", s -> new GithubRenderer());
        ALL.put("html", s -> new HtmlRenderer());
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

    public static Renderer create(String name, Style style) {
        Function<Style, Renderer> f = ALL.get(name);
        if (f == null) throw new IllegalArgumentException("unknown format " + name);
        return f.apply(style);
    }
}
