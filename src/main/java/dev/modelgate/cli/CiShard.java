package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;

import java.util.Map;
import java.util.Optional;

/**
 * {@code --shard auto}: the share of a CI job in a parallel run, from the variables each CI sets. Indices are
 * 1-based in modelgate ({@code I/N}); CIs that count from 0 are converted.
 *
 * @param source what was read, for the line that says so ("GitLab CI: CI_NODE_INDEX=2, CI_NODE_TOTAL=4")
 */
record CiShard(int index, int total, String source) {
    /** The CIs modelgate knows, in the order they are tried: name, index variable, total variable, first index. */
    private record Ci(String name, String indexVar, String totalVar, int base) {}

    private static final Ci[] CIS = {
            new Ci("GitLab CI", "CI_NODE_INDEX", "CI_NODE_TOTAL", 1),
            new Ci("CircleCI", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0),
            new Ci("Buildkite", "BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0),
            // Kubernetes gives an Indexed Job's index only; its completion count comes from --shard auto/N.
            new Ci("Kubernetes Indexed Job", "JOB_COMPLETION_INDEX", null, 0),
    };

    static final String KNOWN = "CI_NODE_INDEX/CI_NODE_TOTAL (GitLab), CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL (CircleCI), "
            + "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT (Buildkite), JOB_COMPLETION_INDEX with --shard auto/N (Kubernetes)";

    /**
     * @param given the option's value: {@code auto}, or {@code auto/N} where the CI does not say the total
     */
    static CiShard detect(String given, Map<String, String> env) {
        Optional<Integer> total = given.equals("auto") ? Optional.empty() : Optional.of(number(given.substring("auto/".length()), "--shard auto/N", given));
        for (Ci ci : CIS) {
            String i = env.get(ci.indexVar());
            if (i == null || i.isBlank()) continue;
            String t = ci.totalVar() == null ? null : env.get(ci.totalVar());
            int index = number(i, ci.indexVar(), i) - ci.base() + 1;
            int n;
            String source = ci.name() + ": " + ci.indexVar() + "=" + i.trim();
            if (t != null && !t.isBlank()) {
                n = number(t, ci.totalVar(), t);
                source += ", " + ci.totalVar() + "=" + t.trim();
                if (total.isPresent() && total.get() != n) {
                    throw BadInputException.usage("--shard " + given + ": the total disagrees with " + ci.totalVar() + "=" + t.trim());
                }
            } else if (total.isPresent()) {
                n = total.get();
                source += ", total " + n + " from --shard " + given;
            } else {
                throw BadInputException.usage("--shard auto: " + ci.name() + " sets " + ci.indexVar() + " but not the number of shards; give --shard auto/N");
            }
            if (index < 1 || index > n) {
                throw BadInputException.usage("--shard auto: " + source + " is not a shard of " + n + " (" + ci.name() + " counts from " + ci.base() + ")");
            }
            return new CiShard(index, n, source);
        }
        throw BadInputException.usage("--shard " + given + ": no CI shard variables are set (looked for " + KNOWN + ")");
    }

    private static int number(String s, String what, String shown) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 0) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw BadInputException.usage(what + ": expected a whole number, got '" + shown.trim() + "'");
    }
}
