package dev.modelgate.probe;

import java.io.PrintStream;

/**
 * Progress of a long check on stderr: a line when a phase starts, and a step line (health iteration k of K, timing
 * pairs) at most every few seconds. A step line says the seconds since its phase began. Off unless asked for (stderr a terminal, a CI log, or --verbose; never with
 * --no-progress); never on stdout.
 */
public final class Progress {
    public static final Progress NONE = new Progress(null, 0);
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final long intervalNanos;
    private long start;
    private long last;

    Progress(PrintStream out, long intervalNanos) {
        this.out = out;
        this.intervalNanos = intervalNanos;
        this.start = System.nanoTime();
        this.last = start;
    }

    /** "12.3 s": time since the phase began. */
    private String elapsed(long now) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (now - start) / 1e9);
    }

    /** Progress lines on this JVM's stderr when {@code enabled} (a worker's stderr is its parent's). */
    public static Progress stderr(boolean enabled) {
        return enabled ? new Progress(System.err, INTERVAL_NANOS) : NONE;
    }

    public boolean enabled() { return out != null; }

    /** A phase begins: always shown (when enabled). */
    public synchronized void phase(String what) {
        if (out == null) return;
        long now = System.nanoTime();
        out.println("modelgate: " + what);
        out.flush();
        start = now;
        last = now;
    }

    /** A step within a phase: shown when the last line is at least the interval old. */
    public synchronized void step(String what) {
        if (out == null) return;
        long now = System.nanoTime();
        if (now - last < intervalNanos) return;
        out.println("modelgate:   " + what + " (" + elapsed(now) + ")");
        out.flush();
        last = now;
    }
}
