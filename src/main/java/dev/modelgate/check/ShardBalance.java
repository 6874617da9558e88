package dev.modelgate.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shards balanced by how long each config took in an earlier run (as pytest-split does): the longest first, each to
 * the shard with the least time so far (the lowest index on a tie). A config the earlier run did not have counts as
 * the median of those it had. Every shard's job computes the same partition from the same files and durations, so
 * the shards are disjoint and complete without talking to each other.
 */
final class ShardBalance {
    private ShardBalance() {}

    /**
     * @param configs   the audited folder's configs, relative to it, with {@code /}
     * @param durations milliseconds per config from an earlier run, keyed by a path that ends with the relative one
     * @return each config's shard, 1-based
     */
    static Map<String, Integer> assign(List<String> configs, Map<String, Long> durations, int shards) {
        Map<String, Long> known = new HashMap<>();
        for (String c : configs) {
            for (Map.Entry<String, Long> d : durations.entrySet()) {
                String k = d.getKey().replace('\\', '/');
                if (k.equals(c) || k.endsWith("/" + c)) known.put(c, d.getValue());
            }
        }
        long median = median(known.values().stream().mapToLong(Long::longValue).toArray());
        List<String> order = new ArrayList<>(configs);
        order.sort(Comparator.comparingLong((String c) -> known.getOrDefault(c, median)).reversed().thenComparing(Comparator.naturalOrder()));
        long[] load = new long[shards];
        Map<String, Integer> out = new HashMap<>();
        for (String c : order) {
            int best = 0;
            for (int i = 1; i < shards; i++) if (load[i] < load[best]) best = i;
            load[best] += Math.max(1, known.getOrDefault(c, median));
            out.put(c, best + 1);
        }
        return out;
    }

    private static long median(long[] v) {
        if (v.length == 0) return 1;
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
