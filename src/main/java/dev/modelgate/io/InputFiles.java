package dev.modelgate.io;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Every file modelgate reads goes through here: only regular files (a device such as {@code /dev/zero}, a FIFO or a
 * socket is refused before it is opened: it has no size, may never end, or may never answer), and never more bytes
 * than a limit, counted while reading, not only from the size the file claims. Errors name the file and say what
 * would be valid; they are the kind the caller gives (a model, a thresholds config, a report to merge).
 */
public final class InputFiles {
    /** Larger than any real model config; a guard against being handed a data file. */
    public static final long MAX_CONFIG_BYTES = 16L << 20;

    private InputFiles() {}

    /** What a file is to the run: which error kind its problems are, and what it should have been. */
    public enum Role {
        MODEL("a model config file", "a model config", "a YAML or JSON text file"),
        DATA("a CSV data file", "CSV data", "a UTF-8 text file"),
        IMAGE("an image file", "an image", "a PNG or JPEG file"),
        IDX("an IDX data file", "IDX data", "a binary IDX file (optionally gzip-compressed)"),
        THRESHOLDS("a thresholds config file", "a thresholds config", "a YAML text file"),
        IGNORE("an ignore file", "an ignore file", "a text file of glob patterns"),
        REPORT("a modelgate JSON report", "a report", "a JSON text file");

        /** What the file should be ("a model config file"), what its content is ("a model config"), and its form. */
        final String file, content, form;

        Role(String file, String content, String form) {
            this.file = file;
            this.content = content;
            this.form = form;
        }
    }

    /** Refuses anything but an existing regular file (symbolic links are followed: what counts is what they name). */
    public static void requireRegularFile(Path file, Role role) {
        if (Files.isRegularFile(file)) return;
        if (Files.isDirectory(file)) throw error(file, role, "is a directory, expected " + role.file);
        if (!Files.exists(file)) throw error(file, role, "file not found");
        throw error(file, role, "is not a regular file (a device, FIFO or socket); expected " + role.file);
    }

    /** The whole file, at most {@code maxBytes}: a longer file is refused, whatever size it claims. */
    public static byte[] readBytes(Path file, long maxBytes, Role role) {
        requireRegularFile(file, role);
        try {
            long size = Files.size(file);
            if (size > maxBytes) throw tooLarge(file, role, size, maxBytes);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
                if (bytes.length > maxBytes) throw tooLarge(file, role, -1, maxBytes); // it grew while being read
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw error(file, role, "file not found");
        } catch (IOException e) {
            throw error(file, role, "cannot be read: " + Excerpt.of(e.getMessage(), Excerpt.MESSAGE_CHARS));
        }
    }

    /** The file as UTF-8 text, at most {@code maxBytes}; anything that is not UTF-8 is refused. */
    public static String readUtf8(Path file, long maxBytes, Role role) {
        byte[] bytes = readBytes(file, maxBytes, role);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(file, role, "is not UTF-8 text; " + role.content + " is " + role.form);
        }
    }

    /**
     * A stream over the file that fails once more than {@code maxBytes} were read: for files read incrementally
     * (CSV data), which may be large but not unbounded.
     */
    public static InputStream open(Path file, long maxBytes, Role role) {
        requireRegularFile(file, role);
        try {
            long size = Files.size(file);
            if (size > maxBytes) throw tooLarge(file, role, size, maxBytes);
            return new Bounded(Files.newInputStream(file), maxBytes, file, role);
        } catch (NoSuchFileException e) {
            throw error(file, role, "file not found");
        } catch (IOException e) {
            throw error(file, role, "cannot be read: " + Excerpt.of(e.getMessage(), Excerpt.MESSAGE_CHARS));
        }
    }

    /** "16 MiB", or the exact bytes below one MiB. */
    public static String size(long bytes) {
        return bytes >= 1L << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private static BadInputException tooLarge(Path file, Role role, long size, long max) {
        String is = size >= 0 ? "is " + size(size) : "is larger than " + size(max);
        return error(file, role, is + "; " + role.content + " is at most " + size(max));
    }

    private static BadInputException error(Path file, Role role, String problem) {
        return switch (role) {
            case MODEL, DATA, IMAGE, IDX -> new BadInputException(file, Location.UNKNOWN, "", problem);
            case THRESHOLDS -> BadInputException.config(file + ": " + problem);
            case REPORT, IGNORE -> BadInputException.usage(file + ": " + problem);
        };
    }

    /** Counts what passes; past the limit, the read fails with the one-line error. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final Path file;
        private final Role role;
        private long read;

        Bounded(InputStream in, long max, Path file, Role role) {
            super(in);
            this.max = max;
            this.file = file;
            this.role = role;
        }

        private void count(long n) {
            if (n > 0 && (read += n) > max) throw tooLarge(file, role, -1, max);
        }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override public long skip(long n) throws IOException {
            long s = super.skip(n);
            count(s);
            return s;
        }
    }
}
