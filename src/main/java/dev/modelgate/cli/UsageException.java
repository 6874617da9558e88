package dev.modelgate.cli;

/** A command line that asks for something impossible (a format that does not exist, a report over an input file). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
