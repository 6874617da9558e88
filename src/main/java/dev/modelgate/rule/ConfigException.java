package dev.modelgate.rule;

/** A thresholds config that cannot be used: an unknown rule or key, a wrong type, a value out of range. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
