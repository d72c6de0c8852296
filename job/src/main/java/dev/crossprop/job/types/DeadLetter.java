package dev.crossprop.job.types;

import java.util.Arrays;

/**
 * A record that the job could not learn from, with the reason and everything needed to find or
 * replay it.
 *
 * @param reason reason id, one of {@link dev.crossprop.sources.InvalidReason#id()}
 * @param message readable explanation naming the offending value
 * @param topic source topic
 * @param partition source partition
 * @param offset offset in the partition
 * @param run run id, when it could be read; null otherwise
 * @param index example index, when it could be read; -1 otherwise
 * @param value the original bytes of the record, or their first {@link #MAX_VALUE_BYTES} bytes
 *     when it is longer
 * @param valueSize the length of the original record in bytes
 */
public record DeadLetter(
        String reason, String message, String topic, int partition, long offset, String run, long index,
        byte[] value, int valueSize) {

    /**
     * Bytes of the original record that a dead letter keeps: 64 KiB. A longer record is cut, so
     * that its dead letter, 4/3 larger in base64, stays below the Kafka producer's default
     * max.request.size of 1 MiB; a record can only be that long when the topic allows it.
     */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    /** Returns a dead letter that keeps at most {@link #MAX_VALUE_BYTES} of {@code original}. */
    public static DeadLetter of(
            String reason, String message, RawExample original, String run, long index) {
        byte[] bytes = original.value();
        byte[] keptBytes = bytes.length > MAX_VALUE_BYTES ? Arrays.copyOf(bytes, MAX_VALUE_BYTES) : bytes;
        return new DeadLetter(reason, message, original.topic(), original.partition(), original.offset(), run, index,
                keptBytes, bytes.length);
    }

    /** Returns true when {@link #value()} holds only the start of the original record. */
    public boolean truncated() {
        return value.length < valueSize;
    }
}
