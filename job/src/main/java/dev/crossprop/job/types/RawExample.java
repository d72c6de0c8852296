package dev.crossprop.job.types;

/**
 * One record as read from the examples topic, before parsing: where it came from and its bytes.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset offset in the partition
 * @param key the record's key as UTF-8 text (the run id, when producers follow the wire format);
 *     empty for a record without a key
 * @param value the record's value, in either wire format; empty for a record without a value
 */
public record RawExample(String topic, int partition, long offset, String key, byte[] value) {}
