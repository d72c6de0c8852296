package dev.crossprop.job.config;

import java.io.Serializable;
import java.util.List;

/**
 * Kafka topics and the input topic's layout.
 *
 * @param topic topic that carries the examples, keyed by run id
 * @param partitions partitions of the examples topic when the job or the producer creates it
 * @param format wire format the producer writes: "json" or "binary" (the job reads both)
 * @param errorsTopic output topic of error records; null writes no error topic
 * @param normsTopic output topic of weight-norm records; null writes no norm topic
 * @param aggregatesTopic output topic of the across-run means; null writes no aggregate topic
 * @param deadLetterTopic output topic of records that failed to parse or validate; null writes none
 * @param compression compression type of the output sinks' producers: "none", "gzip", "snappy",
 *     "lz4" or "zstd"
 */
public record KafkaSpec(
        String topic,
        int partitions,
        String format,
        String errorsTopic,
        String normsTopic,
        String aggregatesTopic,
        String deadLetterTopic,
        String compression)
        implements Serializable {

    /** Compression types that Kafka producers accept, in the spelling of {@code compression.type}. */
    public static final List<String> COMPRESSION_TYPES = List.of("none", "gzip", "snappy", "lz4", "zstd");

    /**
     * Default compression of the output topics. The error and norm records are small JSON objects
     * that repeat their field names and ids, so LZ4 shrinks a batch to a fraction of its size for
     * little CPU, and the broker has fewer bytes to write.
     */
    public static final String DEFAULT_COMPRESSION = "lz4";
}
