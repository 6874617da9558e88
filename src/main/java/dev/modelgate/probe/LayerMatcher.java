package dev.modelgate.probe;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Pairs the layers of two models. Names the configs gave are trusted first (a layer keeps its identity when renamed
 * neighbours move); the rest are aligned as sequences with an edit distance, so inserting one layer shows as one
 * added layer rather than every later layer changed.
 */
public final class LayerMatcher {
    private static final double GAP = 1.0;
    private static final double FORBIDDEN = Double.POSITIVE_INFINITY;

    private LayerMatcher() {}

    public static List<LayerChange> match(List<LayerInfo> original, List<LayerInfo> modified) {
        Set<String> origNames = explicitNames(original);
        Set<String> modNames = explicitNames(modified);
        int n = original.size(), m = modified.size();
        double[][] cost = new double[n + 1][m + 1];
        for (int i = 0; i <= n; i++) cost[i][0] = i * GAP;
        for (int j = 0; j <= m; j++) cost[0][j] = j * GAP;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                double pair = pairCost(original.get(i - 1), modified.get(j - 1), origNames, modNames);
                cost[i][j] = Math.min(cost[i - 1][j - 1] + pair, Math.min(cost[i - 1][j] + GAP, cost[i][j - 1] + GAP));
            }
        }
        List<LayerChange> out = new ArrayList<>();
        int i = n, j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0) {
                double pair = pairCost(original.get(i - 1), modified.get(j - 1), origNames, modNames);
                if (pair != FORBIDDEN && cost[i][j] == cost[i - 1][j - 1] + pair) {
                    out.add(compare(original.get(i - 1), modified.get(j - 1)));
                    i--;
                    j--;
                    continue;
                }
            }
            if (j > 0 && (i == 0 || cost[i][j] == cost[i][j - 1] + GAP)) {
                LayerInfo l = modified.get(j - 1);
                out.add(new LayerChange(LayerChange.Kind.ADDED, null, l.name(), l.type(), List.of()));
                j--;
            } else {
                LayerInfo l = original.get(i - 1);
                out.add(new LayerChange(LayerChange.Kind.REMOVED, l.name(), null, l.type(), List.of()));
                i--;
            }
        }
        Collections.reverse(out);
        return out;
    }

    private static Set<String> explicitNames(List<LayerInfo> layers) {
        Set<String> s = new HashSet<>();
        for (LayerInfo l : layers) if (!l.autoNamed()) s.add(l.name());
        return s;
    }

    /**
     * 0 for a perfect pair, below 2 (the cost of a removal plus an addition) for a plausible pair, infinite where a
     * name says the layers are not the same.
     */
    static double pairCost(LayerInfo a, LayerInfo b, Set<String> origNames, Set<String> modNames) {
        boolean aNamed = !a.autoNamed(), bNamed = !b.autoNamed();
        if (aNamed && bNamed && a.name().equals(b.name())) return a.type().equals(b.type()) && a.attributes().equals(b.attributes()) ? 0 : 0.1;
        // A name the other model also uses belongs to its namesake there.
        if (aNamed && modNames.contains(a.name())) return FORBIDDEN;
        if (bNamed && origNames.contains(b.name())) return FORBIDDEN;
        if (a.type().equals(b.type())) return a.attributes().equals(b.attributes()) ? 0 : 0.5;
        if (a.family().equals(b.family())) return 0.8;
        return FORBIDDEN;
    }

    static LayerChange compare(LayerInfo a, LayerInfo b) {
        List<String> details = new ArrayList<>();
        if (!a.type().equals(b.type())) details.add("type " + a.type() + " -> " + b.type());
        Set<String> keys = new LinkedHashSet<>(a.attributes().keySet());
        keys.addAll(b.attributes().keySet());
        for (String k : keys) {
            String x = a.attributes().get(k), y = b.attributes().get(k);
            if (!Objects.equals(x, y)) details.add(k + " " + (x == null ? "(none)" : x) + " -> " + (y == null ? "(none)" : y));
        }
        return new LayerChange(details.isEmpty() ? LayerChange.Kind.UNCHANGED : LayerChange.Kind.CHANGED, a.name(), b.name(), b.type(), details);
    }
}
