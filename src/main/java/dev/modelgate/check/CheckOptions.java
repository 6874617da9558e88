package dev.modelgate.check;

import dev.modelgate.spec.Shape;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to run a check.
 *
 * @param staticOnly structure only: nothing is built or run
 * @param inputShape used only where a config does not determine its own input shape
 * @param seed       overrides the configs' seeds for synthetic data and initialization
 */
public record CheckOptions(boolean staticOnly, Optional<Shape> inputShape, OptionalLong seed) {
    public static final CheckOptions STATIC = new CheckOptions(true, Optional.empty(), OptionalLong.empty());
    public static final CheckOptions RUN = new CheckOptions(false, Optional.empty(), OptionalLong.empty());
}
