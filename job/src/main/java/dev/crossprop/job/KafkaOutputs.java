package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.flink.DeadLetterJson;
import dev.crossprop.sinks.records.RecordJson;
import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Kafka sinks of the job's output streams. They are transactional (exactly-once): records
 * become visible to consumers with {@code isolation.level=read_committed} when the checkpoint
 * that covers them completes, so those consumers see every (experiment, example index) once
 * through failures and restarts.
 */
public final class KafkaOutputs {

    /**
     * Transaction timeout of the sinks. It must not exceed the broker's
     * {@code transaction.max.timeout.ms} (15 minutes by default), or the producers fail at start;
     * the connector's own default of one hour does exceed it.
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /** Producer batch size of the output sinks (Kafka's default is 16 KiB). */
    static final int OUTPUT_BATCH_BYTES = 256 * 1024;

    /** Producer linger of the output sinks (Kafka's default is 5 ms). */
    static final Duration OUTPUT_LINGER = Duration.ofMillis(20);

    private KafkaOutputs() {}

    /**
     * Checks that the broker accepts the sinks' transaction timeout, so that a mismatch stops the
     * command before any job starts instead of failing every sink at its first transaction.
     *
     * @param timeout maximum time to reach the broker and read its configuration
     * @throws IllegalStateException when {@link #TRANSACTION_TIMEOUT} exceeds the broker's
     *     {@code transaction.max.timeout.ms}, naming both values and the fix, or when the broker
     *     cannot be reached within {@code timeout}
     */
    public static void checkTransactionTimeout(String bootstrapServers, Duration timeout) {
        long brokerMax = KafkaAdmin.transactionMaxTimeoutMs(bootstrapServers, timeout);
        long sinkTimeout = TRANSACTION_TIMEOUT.toMillis();
        if (sinkTimeout > brokerMax) {
            throw new IllegalStateException("The Kafka sinks' transaction.timeout.ms is " + sinkTimeout
                    + " ms, more than the broker's transaction.max.timeout.ms of " + brokerMax + " ms at "
                    + bootstrapServers + ", so the broker would reject every transactional producer of the job."
                    + " Set transaction.max.timeout.ms to at least " + sinkTimeout
                    + " in the broker configuration and restart the broker");
        }
    }

    /**
     * Checks the broker's transaction timeout and creates the output topics that are missing,
     * with the examples topic's partition count, before any job starts.
     *
     * @throws IllegalStateException as {@link #checkTransactionTimeout}, or when a topic cannot
     *     be created within {@code timeout}
     */
    public static void prepareTopics(String bootstrapServers, ExperimentConfig config, Duration timeout) {
        checkTransactionTimeout(bootstrapServers, timeout);
        var kafka = config.kafka();
        for (String topic : new String[] {kafka.errorsTopic(), kafka.normsTopic(), kafka.aggregatesTopic(), kafka.deadLetterTopic()}) {
            if (topic != null) {
                KafkaAdmin.ensureTopic(bootstrapServers, topic, kafka.partitions(), timeout);
            }
        }
    }

    static void addSinks(CrosspropJob.Streams streams, ExperimentConfig config, JobOptions options) {
        var kafka = config.kafka();
        if (kafka.errorsTopic() != null) {
            streams.errors()
                    .sinkTo(sink(options, kafka.compression(), "errors", kafka.errorsTopic(), r -> key(r.experiment()), RecordJson::toJson))
                    .uid("errors-kafka-sink").name("errors to Kafka");
        }
        if (kafka.normsTopic() != null) {
            streams.norms()
                    .sinkTo(sink(options, kafka.compression(), "norms", kafka.normsTopic(), r -> key(r.experiment()), RecordJson::toJson))
                    .uid("norms-kafka-sink").name("norms to Kafka");
        }
        if (kafka.aggregatesTopic() != null) {
            streams.aggregates()
                    .sinkTo(sink(options, kafka.compression(), "aggregates", kafka.aggregatesTopic(), r -> key(r.learner()),
                            r -> CrosspropJob.aggregateJson(r)))
                    .uid("aggregates-kafka-sink").name("aggregates to Kafka");
        }
        if (kafka.deadLetterTopic() != null) {
            streams.deadLetters()
                    .sinkTo(sink(options, kafka.compression(), "dead-letters", kafka.deadLetterTopic(), r -> key(r.topic() + "-" + r.partition()),
                            r -> DeadLetterJson.toJson(r).getBytes(StandardCharsets.UTF_8)))
                    .uid("dead-letters-kafka-sink").name("dead letters to Kafka");
        }
    }

    /**
     * Returns the transactional id prefix of one sink: the job name and the sink name. Each
     * exactly-once sink of a job, and each job on a cluster, needs its own prefix, or their
     * transactions fence each other.
     */
    public static String transactionalIdPrefix(String jobName, String sinkName) {
        return jobName.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + sinkName;
    }

    private static <T> KafkaSink<T> sink(
            JobOptions options, String compression, String sinkName, String topic, SerializableFunction<T, byte[]> key,
            SerializableFunction<T, byte[]> value) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(options.jobName(), sinkName))
                .setProperty("transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT.toMillis()))
                // A record per learner step is many small records: larger batches, a short linger
                // and compression cut the requests and bytes, and the producer and broker CPU
                // time they cost. The records become visible at the checkpoint's commit either way.
                .setProperty("batch.size", Integer.toString(OUTPUT_BATCH_BYTES))
                .setProperty("linger.ms", Long.toString(OUTPUT_LINGER.toMillis()))
                .setProperty("compression.type", compression)
                .setRecordSerializer(new KeyedRecordSerializer<>(topic, key, value))
                .build();
    }

    /** Writes each record to one topic with the given key and value encodings. */
    private static final class KeyedRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

        private static final long serialVersionUID = 1L;

        private final String topic;
        private final SerializableFunction<T, byte[]> key;
        private final SerializableFunction<T, byte[]> value;

        KeyedRecordSerializer(String topic, SerializableFunction<T, byte[]> key, SerializableFunction<T, byte[]> value) {
            this.topic = topic;
            this.key = key;
            this.value = value;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, key.apply(element), value.apply(element));
        }
    }

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
