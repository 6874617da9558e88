package dev.modelgate.probe;

import dev.modelgate.spec.Examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One seed's split of a data set's rows into a training and a held-out part. Stratified for classification: each
 * class keeps its share in both parts (rounded, at least one held-out row for a class with two or more), so a small
 * data set's held-out accuracy is not a matter of which classes the draw left out. The seed alone decides the
 * split, so two models evaluated with the same seeds on the same rows see the same splits.
 *
 * @param train   row indices to train on, in the seed's order
 * @param heldOut row indices to evaluate on
 */
record HeldOutSplit(int[] train, int[] heldOut) {
    static HeldOutSplit of(Examples data, double validation, long seed) {
        Random random = new Random(seed);
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int r = 0; r < data.rows(); r++) {
            int group = data.classification() ? (int) data.labels()[r] : 0;
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
        }
        List<Integer> train = new ArrayList<>(), heldOut = new ArrayList<>();
        for (List<Integer> rows : groups.values()) {
            java.util.Collections.shuffle(rows, random);
            int n = (int) Math.round(validation * rows.size());
            if (n == 0 && rows.size() >= 2) n = 1;
            if (n == rows.size()) n = rows.size() - 1; // a class with one row trains; it cannot be held out and learned
            heldOut.addAll(rows.subList(0, n));
            train.addAll(rows.subList(n, rows.size()));
        }
        java.util.Collections.shuffle(train, random);
        return new HeldOutSplit(train.stream().mapToInt(Integer::intValue).toArray(), heldOut.stream().mapToInt(Integer::intValue).toArray());
    }
}
