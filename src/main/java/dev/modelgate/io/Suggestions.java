package dev.modelgate.io;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" for misspelled keys and names. */
public final class Suggestions {
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Suggestions() {}

    /** The closest candidate, if it is close enough to be a plausible typo (at most a third of the word differs). */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase();
        for (String c : candidates) {
            int d = DISTANCE.apply(w, c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) return Optional.empty();
        int allowed = Math.max(2, Math.max(word.length(), best.length()) / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** " (did you mean 'x'?)" or "", for appending to a message. */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }
}
