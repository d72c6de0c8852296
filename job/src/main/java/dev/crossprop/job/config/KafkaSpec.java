package dev.crossprop.job.config;

import java.io.Serializable;

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
 */
public record KafkaSpec(
        String topic,
        int partitions,
        String format,
        String errorsTopic,
        String normsTopic,
        String aggregatesTopic,
        String deadLetterTopic)
        implements Serializable {}
