package dev.crossprop.sources;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The binary wire format, version 1: a compact big-endian record (the byte order of {@link
 * java.io.DataOutputStream} and of {@link ByteBuffer} by default).
 *
 * <pre>
 * size      field
 * 1         format byte 0xC5
 * 1         version, 1
 * 1         kind: 0 regression, 1 classification
 * 2 + r     run id: unsigned 16-bit byte count r, then r bytes of UTF-8
 * 8         index, signed 64-bit
 * 2 + t     task name: unsigned 16-bit byte count t, then t bytes of UTF-8
 * 4         m, the input count, signed 32-bit
 * 8 m       x, IEEE 754 doubles
 * regression:     4 (k, the target count) + 8 k (y, doubles)
 * classification: 4 (label, signed 32-bit)
 * </pre>
 *
 * <p>The format byte 0xC5 can never start a JSON record: JSON text starts with whitespace, a UTF-8
 * byte order mark (0xEF) or an ASCII character, and 0xC5 is not one of these. Doubles are stored as
 * raw bits, so NaN and infinities survive encoding and reach the validator.
 */
public final class ExampleBinary {

    /** First byte of every binary record. */
    public static final byte FORMAT_BYTE = (byte) 0xC5;

    /** The version this class writes and the only one it reads. */
    public static final byte VERSION = 1;

    private static final byte KIND_REGRESSION = 0;
    private static final byte KIND_CLASSIFICATION = 1;
    private static final int MAX_STRING_BYTES = 0xFFFF;

    private ExampleBinary() {}

    /**
     * Encodes an example.
     *
     * @throws IllegalArgumentException if the run id or task name is longer than 65,535 UTF-8 bytes
     */
    public static byte[] encode(Example example) {
        byte[] run = utf8(example.run(), "run id");
        byte[] task = utf8(example.task(), "task name");
        double[] x = example.x();
        int size = 3 + 2 + run.length + 8 + 2 + task.length + 4 + 8 * x.length + 4;
        if (!example.isClassification()) {
            size += 8 * example.y().length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(FORMAT_BYTE);
        buffer.put(VERSION);
        buffer.put(example.isClassification() ? KIND_CLASSIFICATION : KIND_REGRESSION);
        buffer.putShort((short) run.length).put(run);
        buffer.putLong(example.index());
        buffer.putShort((short) task.length).put(task);
        putDoubles(buffer, x);
        if (example.isClassification()) {
            buffer.putInt(example.label());
        } else {
            putDoubles(buffer, example.y());
        }
        return buffer.array();
    }

    private static byte[] utf8(String value, String name) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(
                    "The "
                            + name
                            + " is "
                            + bytes.length
                            + " UTF-8 bytes long; the binary format allows at most "
                            + MAX_STRING_BYTES
                            + ". Use a shorter "
                            + name
                            + ".");
        }
        return bytes;
    }

    private static void putDoubles(ByteBuffer buffer, double[] values) {
        buffer.putInt(values.length);
        for (double value : values) {
            buffer.putDouble(value);
        }
    }

    /**
     * Decodes a binary record.
     *
     * @throws InvalidExampleException with reason {@code EMPTY}, {@code TOO_LARGE}, {@code
     *     UNKNOWN_FORMAT_VERSION} (format byte, version or kind), {@code TRUNCATED}, {@code
     *     WRONG_TYPE} (invalid UTF-8) or {@code TRAILING_DATA}
     */
    public static Example decode(byte[] bytes) throws InvalidExampleException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidExampleException(InvalidReason.EMPTY, "Record is empty.");
        }
        if (bytes.length > ExampleCodec.MAX_RECORD_BYTES) {
            throw ExampleCodec.tooLarge(bytes.length, "bytes");
        }
        if (bytes[0] != FORMAT_BYTE) {
            throw new InvalidExampleException(
                    InvalidReason.UNKNOWN_FORMAT_VERSION,
                    String.format(
                            "Record starts with byte 0x%02X, not the binary format byte 0x%02X;"
                                    + " decode it with ExampleCodec, which also reads JSON.",
                            bytes[0] & 0xFF, FORMAT_BYTE & 0xFF));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            return read(buffer);
        } catch (BufferUnderflowException e) {
            throw new InvalidExampleException(
                    InvalidReason.TRUNCATED,
                    "Binary record of "
                            + bytes.length
                            + " bytes ends in the middle of a field; the producer or the"
                            + " transport cut it short.",
                    e);
        }
    }

    private static Example read(ByteBuffer buffer) throws InvalidExampleException {
        buffer.get(); // format byte, checked by the caller

        byte version = buffer.get();
        if (version != VERSION) {
            throw new InvalidExampleException(
                    InvalidReason.UNKNOWN_FORMAT_VERSION,
                    "Binary record has format version "
                            + (version & 0xFF)
                            + " but this reader knows only version "
                            + VERSION
                            + "; upgrade the consumer or produce version "
                            + VERSION
                            + ".");
        }

        byte kind = buffer.get();
        if (kind != KIND_REGRESSION && kind != KIND_CLASSIFICATION) {
            throw new InvalidExampleException(
                    InvalidReason.UNKNOWN_FORMAT_VERSION,
                    "Binary record has kind "
                            + (kind & 0xFF)
                            + "; version 1 defines 0 (regression) and 1 (classification).");
        }

        String run = readString(buffer, "run id");
        long index = buffer.getLong();
        String task = readString(buffer, "task name");
        double[] x = readDoubles(buffer, "inputs");
        Example example;
        if (kind == KIND_REGRESSION) {
            example = Example.regression(run, index, task, x, readDoubles(buffer, "targets"));
        } else {
            example = Example.classification(run, index, task, x, buffer.getInt());
        }

        if (buffer.hasRemaining()) {
            throw new InvalidExampleException(
                    InvalidReason.TRAILING_DATA,
                    "Binary record for "
                            + example
                            + " has "
                            + buffer.remaining()
                            + " bytes after its last field; send one example per record.");
        }
        return example;
    }

    private static String readString(ByteBuffer buffer, String name)
            throws InvalidExampleException {
        int length = Short.toUnsignedInt(buffer.getShort());
        if (length > buffer.remaining()) {
            throw new InvalidExampleException(
                    InvalidReason.TRUNCATED,
                    "Binary record declares a "
                            + length
                            + "-byte "
                            + name
                            + " but only "
                            + buffer.remaining()
                            + " bytes remain.");
        }
        ByteBuffer slice = buffer.slice().limit(length);
        buffer.position(buffer.position() + length);
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(slice);
            String value = chars.toString();
            if (value.isEmpty() && name.equals("run id")) {
                throw new InvalidExampleException(
                        InvalidReason.MISSING_FIELD,
                        "Binary record has an empty run id; give every example its run id.");
            }
            return value;
        } catch (CharacterCodingException e) {
            throw new InvalidExampleException(
                    InvalidReason.WRONG_TYPE,
                    "Binary record's " + name + " is not valid UTF-8.",
                    e);
        }
    }

    private static double[] readDoubles(ByteBuffer buffer, String name)
            throws InvalidExampleException {
        int count = buffer.getInt();
        // Compare in long arithmetic: 8 * count overflows int for counts above 2^28.
        if (count < 0 || 8L * count > buffer.remaining()) {
            throw new InvalidExampleException(
                    InvalidReason.TRUNCATED,
                    "Binary record declares "
                            + count
                            + " "
                            + name
                            + " ("
                            + 8L * count
                            + " bytes) but only "
                            + buffer.remaining()
                            + " bytes remain.");
        }
        double[] values = new double[count];
        buffer.asDoubleBuffer().get(values);
        buffer.position(buffer.position() + 8 * count);
        return values;
    }
}
