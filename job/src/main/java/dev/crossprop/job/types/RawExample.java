package dev.crossprop.job.types;

import java.nio.charset.StandardCharsets;

/**
 * One record as read from the examples topic, before parsing: where it came from, its key and its
 * bytes.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset offset in the partition
 * @param key the record's key, the run id by the producers' contract; empty for a record without a
 *     key
 * @param value the record's value, in either wire format; empty for a record without a value
 */
public record RawExample(String topic, int partition, long offset, byte[] key, byte[] value) {

    /** Returns the key as UTF-8 text, the key by which the job routes records to the parse step. */
    public String keyText() {
        return new String(key, StandardCharsets.UTF_8);
    }
}
