package dev.crossprop.sources;

/**
 * Encodes examples in either wire format and decodes a record of either format, telling them apart
 * by the first byte: {@link ExampleBinary#FORMAT_BYTE} means binary, anything else is read as UTF-8
 * JSON.
 */
public final class ExampleCodec {

    /**
     * Largest record accepted, 1 MiB. It equals the default {@code max.request.size} of the Kafka
     * 4.2 producer, so a larger record could not be produced with default settings anyway. The
     * largest example this project generates is an MNIST image: 784 doubles, 6.3 KB in binary and
     * about 20 KB in JSON. The bound leaves room for live feeds with about 130,000 inputs in
     * binary, and it stops a corrupt length from allocating gigabytes.
     */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private ExampleCodec() {}

    /** Encodes an example in the given format. */
    public static byte[] encode(Example example, WireFormat format) {
        return switch (format) {
            case JSON -> ExampleJson.toUtf8(example);
            case BINARY -> ExampleBinary.encode(example);
        };
    }

    /**
     * Decodes a record in either format.
     *
     * @throws InvalidExampleException if the record is empty, too large, or not a valid record of
     *     its format
     */
    public static Example decode(byte[] bytes) throws InvalidExampleException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidExampleException(InvalidReason.EMPTY, "Record is empty.");
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            throw tooLarge(bytes.length, "bytes");
        }
        return bytes[0] == ExampleBinary.FORMAT_BYTE
                ? ExampleBinary.decode(bytes)
                : ExampleJson.parse(bytes);
    }

    static InvalidExampleException tooLarge(long size, String unit) {
        return new InvalidExampleException(
                InvalidReason.TOO_LARGE,
                "Record has "
                        + size
                        + " "
                        + unit
                        + ", more than the limit of "
                        + MAX_RECORD_BYTES
                        + " bytes; an example this large is almost certainly corrupt.");
    }
}
