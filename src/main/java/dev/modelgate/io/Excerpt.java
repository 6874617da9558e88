package dev.modelgate.io;

/**
 * Text from a file, as an error line may quote it: one line, control characters replaced, at most a few dozen
 * characters. A hostile config names {@code /proc/self/environ} or writes its secret into a value so that an error
 * prints it; every quotation of file content goes through here, so an error never carries more than a short excerpt.
 */
public final class Excerpt {
    /** How much of a value an error quotes. */
    public static final int VALUE_CHARS = 60;
    /** How much of a parser's own message (which may quote the file) an error keeps. */
    public static final int MESSAGE_CHARS = 200;

    private Excerpt() {}

    /** A quoted value: at most {@value #VALUE_CHARS} characters. */
    public static String of(String s) {
        return of(s, VALUE_CHARS);
    }

    /** At most {@code max} characters of {@code s}, on one line, without control characters. */
    public static String of(String s, int max) {
        if (s == null) return "";
        String one = s.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "... (" + s.length() + " characters)";
    }
}
