package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The header of {@code coefficients.bin}, read without ND4J (so without allocating): ND4J's {@code Nd4j.write} writes
 * the array's shape buffer (allocation mode, length, {@code LONG}, then rank, shape, strides, extras, element-wise
 * stride, order) and then its data buffer's header (allocation mode, element count, data type) before the elements.
 * Reading it first is what lets a claimed length be refused before {@code Nd4j.read} allocates that many elements.
 *
 * @param length      the number of parameters the data buffer holds
 * @param headerBytes the header's size in bytes (the elements follow)
 * @param bytes       the header itself, to hand on to ND4J with the elements after it
 */
record ParameterHeader(long length, String dataType, int elementBytes, long headerBytes, byte[] bytes) {
    static final String ENTRY = "coefficients.bin";
    /** The allocation mode ND4J writes since 1.0.0-beta (buffers carry their own data type). */
    private static final String MODE = "MIXED_DATA_TYPES";
    private static final Map<String, Integer> ELEMENT_BYTES = Map.of("FLOAT", 4, "DOUBLE", 8, "HALF", 2, "BFLOAT16", 2);
    /** A parameter vector is rank 1 or 2 ({@code [1, n]}); ND4J's shape buffer has 2 * rank + 4 values. */
    private static final int MAX_RANK = 2;

    long dataBytes() { return length * elementBytes; }

    /** Reads the header from {@code in}, leaving it at the first element; refuses what ND4J 1.0.0-M2.1 would not write. */
    static ParameterHeader read(Path file, InputStream in) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        DataInputStream data = new DataInputStream(new InputStream() {
            @Override public int read() throws IOException {
                int b = in.read();
                if (b >= 0) copy.write(b);
                return b;
            }
        });
        try {
            mode(file, data.readUTF());
            long shapeLength = data.readLong();
            String shapeType = data.readUTF();
            if (!shapeType.equals("LONG") || shapeLength < 4 || shapeLength > 2 * MAX_RANK + 4) {
                throw error(file, "the array header is not that of a parameter vector (shape buffer of " + shapeLength + " " + shapeType + ")");
            }
            long[] shapeInfo = new long[(int) shapeLength];
            for (int i = 0; i < shapeInfo.length; i++) shapeInfo[i] = data.readLong();
            int rank = (int) shapeInfo[0];
            if (rank < 1 || rank > MAX_RANK || shapeLength != 2L * rank + 4) throw error(file, "the array has rank " + shapeInfo[0] + "; parameters are a vector");
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                long size = shapeInfo[1 + d], stride = shapeInfo[1 + rank + d];
                // A stride other than a vector's would make ND4J read outside the buffer it allocated.
                if (size < 0 || (size > 1 && stride != 1)) throw error(file, "the array's shape or strides are not a vector's");
                elements = Math.multiplyExact(elements, size);
            }
            if (rank == 2 && shapeInfo[1] > 1 && shapeInfo[2] > 1) throw error(file, "the array is a matrix; parameters are a vector");
            mode(file, data.readUTF());
            long length = data.readLong();
            String type = data.readUTF();
            Integer width = ELEMENT_BYTES.get(type);
            if (width == null) throw error(file, "holds " + type + " values; parameters are FLOAT, DOUBLE, HALF or BFLOAT16");
            if (length != elements) throw error(file, "the array's shape holds " + elements + " values but its data claims " + length);
            return new ParameterHeader(length, type, width, copy.size(), copy.toByteArray());
        } catch (EOFException e) {
            throw error(file, "ends inside its array header");
        } catch (ArithmeticException e) {
            throw error(file, "the array's shape overflows");
        }
    }

    /**
     * Refuses a header whose element count is not {@code expected} (the configuration's parameter count) or whose
     * elements would not fill the entry exactly; called before anything is allocated for the elements.
     */
    void requireFits(Path file, long expected, long entryBytes) {
        if (length != expected) {
            throw error(file, "holds " + length + " parameters, but configuration.json describes a network of " + expected);
        }
        if (headerBytes + dataBytes() != entryBytes) {
            throw error(file, "is " + entryBytes + " bytes, but its header promises " + (headerBytes + dataBytes()) + " (" + length + " " + dataType + " values)");
        }
    }

    private static void mode(Path file, String mode) {
        if (!mode.equals(MODE)) {
            throw error(file, "is in an ND4J array format this DL4J does not write (allocation mode '" + dev.modelgate.io.Excerpt.of(mode) + "'); re-save the model "
                    + "with ModelSerializer.writeModel from DL4J 1.0.0-M2.1");
        }
    }

    private static BadInputException error(Path file, String problem) {
        return new BadInputException(file, Location.UNKNOWN, ENTRY, problem);
    }
}
