package dev.modelgate.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code --input-shape} says, for the inputs a config does not give a shape itself: one shape without a name
 * (a model with one input), or {@code NAME=SHAPE} for each input of a multi-input graph that needs one.
 *
 * @param unnamed the shape given without a name, for a model's only input
 * @param named   shapes by network input name
 */
public record InputShapes(Optional<Shape> unnamed, Map<String, Shape> named) {
    public static final InputShapes NONE = new InputShapes(Optional.empty(), Map.of());

    public InputShapes {
        unnamed = unnamed == null ? Optional.empty() : unnamed;
        named = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(named));
    }

    /** One {@code --input-shape} value: {@code 1,28,28} or {@code image=1,28,28}. */
    public record Entry(String name, Shape shape) {
        /** @throws IllegalArgumentException with the valid forms, for the command line to show */
        public static Entry parse(String text) {
            int eq = text.indexOf('=');
            if (eq < 0) return new Entry(null, Shape.parse(text));
            String name = text.substring(0, eq).trim();
            if (name.isEmpty()) throw new IllegalArgumentException("'" + text + "' has no input name before '='; valid: NAME=SHAPE, e.g. image=3,224,224");
            return new Entry(name, Shape.parse(text.substring(eq + 1)));
        }

        @Override public String toString() { return name == null ? shape.text() : name + "=" + shape.text(); }
    }

    public static InputShapes of(Optional<Shape> unnamed) {
        return new InputShapes(unnamed, Map.of());
    }

    /** The command line's values; at most one without a name, each name once. */
    public static InputShapes of(List<Entry> entries) {
        Optional<Shape> unnamed = Optional.empty();
        Map<String, Shape> named = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.name() == null) {
                if (unnamed.isPresent()) throw new IllegalArgumentException("--input-shape without a name is given twice (" + unnamed.get().text() + " and "
                        + e.shape().text() + "); for a graph with several inputs give NAME=SHAPE for each");
                unnamed = Optional.of(e.shape());
            } else if (named.put(e.name(), e.shape()) != null) {
                throw new IllegalArgumentException("--input-shape gives input '" + e.name() + "' twice");
            }
        }
        if (unnamed.isPresent() && !named.isEmpty()) {
            throw new IllegalArgumentException("--input-shape mixes a shape without a name with named ones; name every input (NAME=SHAPE)");
        }
        return new InputShapes(unnamed, named);
    }

    public boolean isEmpty() { return unnamed.isEmpty() && named.isEmpty(); }

    /** The form {@link #parse} reads back (how options cross to a worker). */
    @com.fasterxml.jackson.annotation.JsonValue
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        unnamed.ifPresent(s -> out.add(s.text()));
        named.forEach((n, s) -> out.add(n + "=" + s.text()));
        return out;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static InputShapes parse(List<String> texts) {
        return of(texts.stream().map(Entry::parse).toList());
    }

    @Override public String toString() { return String.join(" ", texts()); }
}
