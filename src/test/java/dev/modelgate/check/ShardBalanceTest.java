package dev.modelgate.check;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shards balanced by an earlier run's durations: longest first, each to the least loaded shard. */
class ShardBalanceTest {
    @Test
    void theLongestConfigsAreSpreadAndTheShortOnesFillIn() {
        // Durations of 8, 7, 3, 2, 2 (s): shards of 12 and 10, where hashing paths could put 8 and 7 together.
        Map<String, Long> d = Map.of("exp/a.yaml", 8000L, "exp/b.yaml", 7000L, "exp/c.yaml", 3000L, "exp/d.yaml", 2000L, "exp/e.yaml", 2000L);
        Map<String, Integer> s = ShardBalance.assign(List.of("a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml"), d, 2);
        assertEquals(1, s.get("a.yaml"));
        assertEquals(2, s.get("b.yaml"));
        long one = 0, two = 0;
        for (var e : s.entrySet()) {
            long ms = d.get("exp/" + e.getKey());
            if (e.getValue() == 1) one += ms; else two += ms;
        }
        assertEquals(12000, one, "8 + 2 + 2: greedy longest-first (an exact split, 11 and 11, is not sought)");
        assertEquals(10000, two, "7 + 3");
    }

    @Test
    void aConfigTheEarlierRunLackedCountsAsTheMedianAndEveryConfigGetsOneShard() {
        Map<String, Long> d = Map.of("x/a.yaml", 100L, "x/b.yaml", 300L, "x/c.yaml", 200L);
        List<String> configs = List.of("a.yaml", "b.yaml", "c.yaml", "new.yaml");
        Map<String, Integer> s = ShardBalance.assign(configs, d, 3);
        assertEquals(configs.size(), s.size());
        s.values().forEach(v -> assertEquals(true, v >= 1 && v <= 3));
        assertEquals(s, ShardBalance.assign(configs, d, 3), "the same partition in every job");
    }
}
