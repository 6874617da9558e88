package dev.modelgate.probe;

import java.io.PrintStream;

/**
 * Progress of a long check on stderr: a line when a phase starts, and a step line (health iteration k of K, timing
 * pairs) at most every few seconds. Off unless asked for (stderr a terminal, or --verbose); never on stdout.
 */
public final class Progress {
    public static final Progress NONE = new Progress(null, 0);
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final long intervalNanos;
    private long last;

    Progress(PrintStream out, long intervalNanos) {
        this.out = out;
        this.intervalNanos = intervalNanos;
        this.last = System.nanoTime();
    }

    /** Progress lines on this JVM's stderr when {@code enabled} (a worker's stderr is its parent's). */
    public static Progress stderr(boolean enabled) {
        return enabled ? new Progress(System.err, INTERVAL_NANOS) : NONE;
    }

    public boolean enabled() { return out != null; }

    /** A phase begins: always shown (when enabled). */
    public synchronized void phase(String what) {
        if (out == null) return;
        out.println("modelgate: " + what);
        out.flush();
        last = System.nanoTime();
    }

    /** A step within a phase: shown when the last line is at least the interval old. */
    public synchronized void step(String what) {
        if (out == null) return;
        long now = System.nanoTime();
        if (now - last < intervalNanos) return;
        out.println("modelgate:   " + what);
        out.flush();
        last = now;
    }
}
