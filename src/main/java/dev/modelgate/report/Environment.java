package dev.modelgate.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the measurement ran: a timing ratio means something only on one device with one thread setting.
 *
 * @param backend   the ND4J backend that actually loaded where the models ran ({@code cpu}, {@code cuda}), or
 *                  {@code none (static)} when nothing ran
 * @param device    what the backend ran on: the CPU's model name and core count, or the GPU's name; null in reports
 *                  written before modelgate recorded it
 * @param threads   the native thread setting (OMP_NUM_THREADS)
 * @param libraries name to version, in a stable order: deeplearning4j, the ND4J backend artifact, its BLAS, javacpp,
 *                  and whatever else identifies the native code (empty in older reports)
 */
public record Environment(String backend, String device, String threads, String java, String os, String modelgate,
                          Map<String, String> libraries) {
    public Environment {
        libraries = libraries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(libraries));
    }

    /** "deeplearning4j 1.0.0-M2.1, nd4j-native 1.0.0-M2.1, ...": the libraries on one line, or "" when none are known. */
    public String librariesText() {
        return libraries.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
