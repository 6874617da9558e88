package dev.modelgate.error;

/**
 * modelgate's own machinery failed, not the input: a worker JVM that cannot start (a missing java binary, a bad
 * option in MODELGATE_WORKER_OPTS) or that does not answer. Every check would fail the same way, so a run stops at
 * the first one (an audit too) with exit code 3 and this one line; unlike a bug, it needs no stack trace to act on.
 */
public final class InfrastructureException extends RuntimeException {
    public InfrastructureException(String message, Throwable cause) {
        super(message.replace('\n', ' '), cause);
    }
}
