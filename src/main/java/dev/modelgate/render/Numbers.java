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
        if (Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        if (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3) return sci(v);
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** Three significant digits, scientific outside [1e-3, 1e4): 0.0312, 12.3, 6.5e+03, 1.9e-11. */
    /** A layer's median weight-gradient L2, or "-" for a layer that has no weights (batch-norm: scale and shift only). */
    static String medianWeightGradient(dev.modelgate.report.LayerGradients g) {
        return g.weightL2().isEmpty() ? "-" : sci(g.medianWeightL2());
    }

    static String sci(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Inf" : "-Inf";
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e4 || a < 1e-3)) return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e+").replace("e-0", "e-");
        String s = String.format(Locale.ROOT, "%.3g", v);
        if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    static String ratio(double r) {
        if (Double.isNaN(r)) return "-";
        String s = String.format(Locale.ROOT, "%.2f", r);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }

    static String seconds(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String percent(double f) {
        return f == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", f * 100);
    }

    /** "a -> b", or one of them when the other is missing or they are equal. */
    static String pair(String a, String b) {
        if (a == null) return b == null ? "" : b;
        if (b == null) return a;
        return a.equals(b) ? a : a + " -> " + b;
    }
}
