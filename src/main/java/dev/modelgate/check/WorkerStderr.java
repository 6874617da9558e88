package dev.modelgate.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A worker's stderr, passed on to this JVM's: held back until the worker has started, so that a worker that cannot
 * start (a bad JVM option: "Unrecognized VM option ...") is one line of modelgate's naming its first line, not the
 * JVM's own lines; after that, byte for byte as it comes (progress lines included).
 */
final class WorkerStderr {
    /** Enough for any start-up message; more is dropped rather than held. */
    private static final int HELD_BYTES = 64 << 10;

    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private boolean forwarding;
    private Thread thread;

    private WorkerStderr() {}

    static WorkerStderr pump(InputStream from) {
        WorkerStderr s = new WorkerStderr();
        s.thread = new Thread(() -> s.copy(from), "modelgate-worker-stderr");
        s.thread.setDaemon(true);
        s.thread.start();
        return s;
    }

    private void copy(InputStream from) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                synchronized (this) {
                    if (forwarding) {
                        System.err.write(buf, 0, n);
                        System.err.flush();
                    } else if (held.size() + n <= HELD_BYTES) {
                        held.write(buf, 0, n);
                    }
                }
            }
        } catch (IOException ignored) {
            // the worker is gone
        }
    }

    /** From now on, pass everything on, starting with what was held. */
    synchronized void forward() {
        System.err.write(held.toByteArray(), 0, held.size());
        System.err.flush();
        held.reset();
        forwarding = true;
    }

    /** The first non-blank line the worker wrote before it started (waiting, up to 2 s, for its stderr to end). */
    Optional<String> firstLine() {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return held.toString(StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .map(l -> dev.modelgate.io.Excerpt.of(l, dev.modelgate.io.Excerpt.MESSAGE_CHARS));
        }
    }
}
