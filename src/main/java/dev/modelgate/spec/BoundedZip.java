package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * A zip from a stranger, read the one way that leaves no second interpretation: entry by entry from the local
 * headers (what a streaming reader sees), each checked against the central directory (what a random-access reader
 * sees), so that both agree on every name, order, size and checksum. Names are unique, sizes are bounded per entry
 * and in total, and a compression ratio beyond what real data has (a zip bomb) is refused; every bound holds on the
 * bytes actually inflated, not only on the sizes the zip declares.
 */
final class BoundedZip {
    /** A model zip has a handful of entries. */
    static final int MAX_ENTRIES = 64;
    /** Everything the zip may inflate to, all entries together. */
    static final long MAX_TOTAL_BYTES = 4L << 30;
    /** Trained weights and JSON compress to a few times less at most; DEFLATE's own ceiling is about 1032:1. */
    static final long MAX_RATIO = 100;
    /** Below this an entry's ratio is not judged: a tiny file of zeros compresses well and harms nobody. */
    static final long RATIO_FREE_BYTES = 1L << 20;

    private BoundedZip() {}

    /** How an entry's content is consumed; {@code in} ends at the entry's end and refuses to exceed its bound. */
    interface EntryReader {
        void read(ZipEntry entry, InputStream in) throws IOException;
    }

    /**
     * The central directory's entries, in order: unique names, at most {@link #MAX_ENTRIES}, each declaring its
     * uncompressed size, all within {@link #MAX_TOTAL_BYTES} and the ratio bound. What each name may hold is the
     * caller's to judge.
     */
    static List<ZipEntry> centralDirectory(Path file) {
        List<ZipEntry> central;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            central = zip.stream().limit(MAX_ENTRIES + 1).map(ZipEntry.class::cast).toList();
        } catch (ZipException e) {
            throw notAZip(file, e);
        } catch (IllegalArgumentException e) {
            throw badName(file, e);
        } catch (IOException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read: " + e.getMessage());
        }
        if (central.size() > MAX_ENTRIES) throw error(file, "", "has more than " + MAX_ENTRIES + " entries; a DL4J model zip has a few");
        Set<String> names = new HashSet<>();
        long total = 0;
        for (ZipEntry e : central) {
            if (!names.add(e.getName())) {
                throw error(file, e.getName(), "the zip holds two entries of this name; each entry must appear once (different readers "
                        + "would take different copies)");
            }
            if (e.getSize() < 0) throw error(file, e.getName(), "the central directory does not declare the entry's size");
            total += e.getSize();
            if (total > MAX_TOTAL_BYTES) throw error(file, e.getName(), "the zip's entries add up to more than " + (MAX_TOTAL_BYTES >> 30) + " GiB uncompressed");
            ratio(file, e.getName(), e.getSize(), e.getCompressedSize());
        }
        return central;
    }

    /**
     * Reads every local entry in order through {@code reader}, each bounded by its central-directory size; an entry
     * the central directory does not list, or lists differently, is refused, as is a local entry whose checksum or
     * sizes differ (checked by {@link ZipInputStream} against the local header or data descriptor, and here against
     * the central directory).
     */
    static void read(Path file, List<ZipEntry> central, EntryReader reader) {
        try (ZipInputStream zin = new ZipInputStream(new BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
            int i = 0;
            for (ZipEntry local; (local = nextEntry(zin, file)) != null; i++) {
                if (i >= central.size()) {
                    throw error(file, local.getName(), "is a local entry that the zip's central directory does not list (a hidden entry)");
                }
                ZipEntry listed = central.get(i);
                if (!listed.getName().equals(local.getName()) || listed.getMethod() != local.getMethod()) {
                    throw error(file, local.getName(), "local entry " + (i + 1) + " does not match entry " + (i + 1) + " of the central directory ('"
                            + dev.modelgate.io.Excerpt.of(listed.getName()) + "'); the two must list the same entries in the same order");
                }
                Bounded in = new Bounded(zin, file, listed);
                reader.read(listed, in);
                in.drain();
                if (local.getCrc() != listed.getCrc() || local.getCompressedSize() != listed.getCompressedSize() || in.count != listed.getSize()) {
                    throw error(file, local.getName(), "the local entry's size or checksum differs from the central directory's");
                }
            }
            if (i != central.size()) {
                throw error(file, central.get(i).getName(), "is listed by the central directory but has no local entry in its place");
            }
        } catch (ZipException e) {
            throw notAZip(file, e);
        } catch (java.io.EOFException e) {
            throw error(file, "", "is truncated: it ends inside an entry");
        } catch (IOException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read: " + e.getMessage());
        }
    }

    /**
     * The next local entry. Java's zip readers decode entry names as UTF-8 and report a name that is not valid UTF-8
     * with an unchecked IllegalArgumentException, not a ZipException (found by LoadersFuzzTest): it is the file's fault.
     */
    private static ZipEntry nextEntry(ZipInputStream zin, Path file) throws IOException {
        try {
            return zin.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw badName(file, e);
        }
    }

    private static BadInputException badName(Path file, IllegalArgumentException e) {
        return new BadInputException(file, Location.UNKNOWN, "", "is not a readable zip file (an entry's name is not valid UTF-8); a DL4J model "
                + "zip is written by ModelSerializer.writeModel", e);
    }

    /** An entry's name comes from the file: on one line, without control characters (a fuzzed name held a newline). */
    static BadInputException error(Path file, String entry, String problem) {
        return new BadInputException(file, Location.UNKNOWN, dev.modelgate.io.Excerpt.of(entry), problem);
    }

    private static BadInputException notAZip(Path file, ZipException e) {
        return new BadInputException(file, Location.UNKNOWN, "", "is not a readable zip file (" + e.getMessage()
                + "); a DL4J model zip is written by ModelSerializer.writeModel", e);
    }

    private static void ratio(Path file, String entry, long inflated, long compressed) {
        if (inflated > RATIO_FREE_BYTES && inflated > MAX_RATIO * Math.max(1, compressed)) {
            throw error(file, entry, "inflates " + inflated / Math.max(1, compressed) + " times its compressed size (at most " + MAX_RATIO
                    + " times is read): a compression bomb, not a model");
        }
    }

    /** One entry's content: never more than its declared size, never more than the ratio bound over its compressed size. */
    private static final class Bounded extends FilterInputStream {
        private final Path file;
        private final ZipEntry entry;
        long count;

        Bounded(InputStream in, Path file, ZipEntry entry) {
            super(in);
            this.file = file;
            this.entry = entry;
        }

        private final byte[] one = new byte[1];

        @Override public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            // One byte past the declared size is asked for, so that a longer entry is seen, never read whole.
            int n = super.read(b, off, (int) Math.min(len, entry.getSize() - count + 1));
            if (n > 0) {
                count += n;
                if (count > entry.getSize()) throw error(file, entry.getName(), "holds more bytes than the " + entry.getSize() + " its central directory declares");
                ratio(file, entry.getName(), count, entry.getCompressedSize());
            }
            return n;
        }

        @Override public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override public void close() {} // the zip stream is closed by its owner

        @Override public boolean markSupported() { return false; }

        void drain() throws IOException {
            byte[] buf = new byte[8192];
            while (read(buf, 0, buf.length) >= 0) { /* bounded by read() */ }
        }
    }
}
