package dev.modelgate.render;

/** Terminal colours for the text report: on only for a terminal, never when NO_COLOR is set (decided by the caller). */
public final class Style {
    public static final Style PLAIN = new Style(false);
    public static final Style COLOR = new Style(true);

    private final boolean color;

    private Style(boolean color) {
        this.color = color;
    }

    public boolean color() { return color; }

    String red(String s) { return wrap("31;1", s); }
    String green(String s) { return wrap("32", s); }
    String yellow(String s) { return wrap("33", s); }
    String dim(String s) { return wrap("2", s); }
    String bold(String s) { return wrap("1", s); }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
