package dev.modelgate.render;

import java.util.Locale;

/** Number formats shared by the human-readable renderers. */
final class Numbers {
    private Numbers() {}

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 2.29M, 431.1K, 950: short forms for MACs. */
    static String compact(long n) {
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        return Long.toString(n);
    }

    /** A measured value or threshold as a person reads it: 4.0, 1.25, 1e-05, 100. */
    static String value(Double d) {
        if (d == null) return "-";
        double v = d;
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        if (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.3g", v);
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
