package dev.modelgate.spec;

import java.nio.file.Path;

/**
 * A spec's {@code data:} section: the team's own examples for the health probe, instead of synthetic ones.
 *
 * @param csv    the CSV file, resolved against the spec's directory
 * @param label  the label column: a header name or a 0-based index; null for the last column
 * @param header whether the first row names the columns
 */
public record DataSpec(Path csv, String label, boolean header) {}
