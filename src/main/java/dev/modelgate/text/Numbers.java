package dev.modelgate.text;

import java.util.Locale;

/**
 * The one place numbers become text: rule messages and every human-readable renderer use these functions, so a
 * number reads the same in a message and in a table column. The measured and limit columns of a rule row, and the
 * {@code {measured}} and {@code {limit}} of its message, are both {@link #value(Double)}.
 */
public final class Numbers {
    private Numbers() {}

    /** What a missing value reads as in a column. */
    public static final String NONE = "-";

    /**
     * A measured value or limit as a person reads it: at least two significant digits and at most four (4.0, 16, 0.25,
     * 0.4625, 15.57, 100), scientific with two digits below 1e-3 and from 1e4 (1.0e-5, 6.5e+3); 0 is 0.
     */
    public static String value(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-3) return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e+").replace("e-0", "e-");
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e+").replace("e-0", "e-"); // 9999.9 rounds up
        if (s.contains(".")) s = s.replaceAll("0+$", "");
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        // one digit alone reads like a count: 4 -> 4.0
        if (s.replace("-", "").length() == 1) s += ".0";
        return s;
    }

    /** {@link #value(double)}, or {@link #NONE} for a missing value. */
    public static String value(Double v) {
        return v == null ? NONE : value(v.doubleValue());
    }

    /** A ratio: the value and an x, 4.0x, 1.25x, 0.3333x. */
    public static String ratio(double r) {
        return value(r) + "x";
    }

    /** Counts with thousands separators: 431,080. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Short forms for MACs: 2.29M, 431.1K, 950. */
    public static String compact(long n) {
        if (n < 0) return "?"; // unknown: a layer of a family without a MAC formula
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        return Long.toString(n);
    }

    /** Three significant digits for tables of measurements, scientific outside [1e-3, 1e4): 0.0312, 12.3, 6.5e+3, 1.9e-11. */
    public static String sci(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Inf" : "-Inf";
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e4 || a < 1e-3)) return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e+").replace("e-0", "e-");
        String s = String.format(Locale.ROOT, "%.3g", v);
        if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /** A duration: 950 ms, 12.3 s. */
    public static String seconds(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Seconds with three decimals, 0 for none: 1.234 (the form test reports use). */
    public static String decimalSeconds(long ms) {
        return ms == 0 ? "0" : String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /** A fraction as a percentage: 0%, 12.5%. */
    public static String percent(double f) {
        return f == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", f * 100);
    }

    /** "a -> b", or one of them when the other is missing or they are equal. */
    public static String pair(String a, String b) {
        if (a == null) return b == null ? "" : b;
        if (b == null) return a;
        return a.equals(b) ? a : a + " -> " + b;
    }

    /** A closed interval of values: [-1000, 1000.0] as {@link #value(double)} writes its ends. */
    public static String interval(double lo, double hi) {
        return "[" + value(lo) + ", " + value(hi) + "]";
    }

    /** Memory in binary units with one decimal: 512 B, 22.0 MiB, 1.5 GiB. */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        int exponent = Math.min(5, (63 - Long.numberOfLeadingZeros(n)) / 10);
        return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, exponent), "KMGTP".charAt(exponent - 1));
    }
}
