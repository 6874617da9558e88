package dev.modelgate.probe;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
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

    /**
     * The layer changes in the modified model's order (a removed layer after the layer that precedes it in the
     * original). Layers both configs name alike are the same layer wherever they stand, so the order a file lists
     * them in (DL4J graphs are maps) never changes the result; only the rest is aligned as sequences.
     */
    public static List<LayerChange> match(List<LayerInfo> original, List<LayerInfo> modified) {
        Map<String, LayerInfo> named = new HashMap<>();
        for (LayerInfo a : original) if (!a.autoNamed()) named.put(a.name(), a);
        Map<String, LayerChange> byModified = new HashMap<>();
        Set<String> pairedOriginal = new HashSet<>();
        for (LayerInfo b : modified) {
            LayerInfo a = b.autoNamed() ? null : named.get(b.name());
            if (a == null) continue;
            byModified.put(b.name(), compare(a, b));
            pairedOriginal.add(a.name());
        }
        List<LayerInfo> restA = original.stream().filter(a -> !pairedOriginal.contains(a.name())).toList();
        List<LayerInfo> restB = modified.stream().filter(b -> !byModified.containsKey(b.name())).toList();
        List<LayerChange> removed = new ArrayList<>();
        for (LayerChange c : align(restA, restB)) {
            if (c.modified() != null) byModified.put(c.modified(), c);
            else removed.add(c);
        }
        // Where each original layer went: after the modified layer its predecessor in the original is matched to.
        Map<String, String> toModified = new HashMap<>();
        byModified.values().forEach(c -> { if (c.original() != null) toModified.put(c.original(), c.modified()); });
        Map<String, List<LayerChange>> after = new HashMap<>();
        List<LayerChange> first = new ArrayList<>();
        for (LayerChange r : removed) {
            String anchor = null;
            for (int i = indexOf(original, r.original()) - 1; i >= 0 && anchor == null; i--) anchor = toModified.get(original.get(i).name());
            if (anchor == null) first.add(r);
            else after.computeIfAbsent(anchor, k -> new ArrayList<>()).add(r);
        }
        List<LayerChange> out = new ArrayList<>(first);
        for (LayerInfo b : modified) {
            out.add(byModified.get(b.name()));
            out.addAll(after.getOrDefault(b.name(), List.of()));
        }
        return out;
    }

    private static int indexOf(List<LayerInfo> layers, String name) {
        for (int i = 0; i < layers.size(); i++) if (layers.get(i).name().equals(name)) return i;
        return -1;
    }

    /** Edit-distance alignment of the layers not paired by name, in their own order. */
    private static List<LayerChange> align(List<LayerInfo> original, List<LayerInfo> modified) {
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
