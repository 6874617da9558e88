package dev.modelgate.probe;

import dev.modelgate.spec.Examples;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The held-out split: stratified, disjoint, complete, and decided by the seed alone. */
class HeldOutSplitTest {
    static Examples classes(int... counts) {
        int n = Arrays.stream(counts).sum(), r = 0;
        float[][] x = new float[n][1];
        double[] y = new double[n];
        for (int c = 0; c < counts.length; c++) for (int i = 0; i < counts[c]; i++, r++) y[r] = c;
        return new Examples(Path.of("d.csv"), x, y, true, counts.length);
    }

    @Test
    void everyClassKeepsItsShareInTheHeldOutPart() {
        Examples d = classes(50, 50, 20);
        HeldOutSplit s = HeldOutSplit.of(d, 0.2, 7);
        int[] held = new int[3];
        for (int r : s.heldOut()) held[(int) d.labels()[r]]++;
        assertArrayEquals(new int[] {10, 10, 4}, held);
        Set<Integer> all = new HashSet<>();
        for (int r : s.train()) assertFalse(!all.add(r), "a row twice");
        for (int r : s.heldOut()) assertFalse(!all.add(r), "a row in both parts");
        assertEquals(120, all.size());
    }

    @Test
    void theSeedAloneDecidesTheSplit() {
        Examples d = classes(30, 30);
        assertArrayEquals(HeldOutSplit.of(d, 0.2, 3).heldOut(), HeldOutSplit.of(d, 0.2, 3).heldOut());
        assertFalse(Arrays.equals(HeldOutSplit.of(d, 0.2, 3).heldOut(), HeldOutSplit.of(d, 0.2, 4).heldOut()));
    }

    @Test
    void aSmallClassHoldsOneRowOutAndASingleRowTrains() {
        HeldOutSplit s = HeldOutSplit.of(classes(20, 2, 1), 0.2, 1);
        assertEquals(4 + 1, s.heldOut().length, "4 of class 0, 1 of class 1, none of the one-row class");
        assertEquals(23 - 5, s.train().length);
    }
}
