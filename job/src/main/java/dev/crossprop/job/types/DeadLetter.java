package dev.crossprop.job.types;

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
 * @param value the original bytes of the record
 */
public record DeadLetter(
        String reason, String message, String topic, int partition, long offset, String run, long index,
        byte[] value) {}
