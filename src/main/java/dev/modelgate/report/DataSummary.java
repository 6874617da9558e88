package dev.modelgate.report;

/**
 * What a model's CSV data holds, as far as rules about data need it: the range of its labels (class indices for
 * classification, target values for regression) and of its feature values.
 *
 * @param file the CSV file's name (not its path: reports are shown to others)
 */
public record DataSummary(String file, int rows, boolean classification, double labelMin, double labelMax, double featureMin, double featureMax) {}
