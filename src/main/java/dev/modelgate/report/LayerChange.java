package dev.modelgate.report;

import java.util.List;

/**
 * How one layer differs between the original and the modified model.
 *
 * @param original name in the original model, null for an added layer
 * @param modified name in the modified model, null for a removed layer
 * @param details  what changed, e.g. {@code filters 20 -> 80}; empty for unchanged, added and removed layers
 */
public record LayerChange(Kind kind, String original, String modified, String type, List<String> details) {
    public LayerChange {
        details = List.copyOf(details);
    }

    public enum Kind { UNCHANGED, CHANGED, ADDED, REMOVED;
        public String label() { return name().toLowerCase(); }
    }

    /** The name to show: the modified name where there is one. */
    public String name() {
        if (original != null && modified != null && !original.equals(modified)) return original + " -> " + modified;
        return modified != null ? modified : original;
    }
}
