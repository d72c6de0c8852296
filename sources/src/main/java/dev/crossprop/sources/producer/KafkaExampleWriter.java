package dev.crossprop.sources.producer;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes examples to a Kafka topic with an idempotent producer ({@code enable.idempotence=true},
 * {@code acks=all}), keyed by run id in UTF-8, so that a run stays in one partition and in order,
 * and retries neither duplicate nor reorder records.
 *
 * <p>Sends are asynchronous. The first failure reported by the client is kept and thrown by the
 * next {@link #write}, {@link #flush} or {@link #close}. Every blocking step (reaching the broker,
 * creating the topic, waiting for metadata or buffer space) is bounded by the timeout given to
 * {@link #open}, so an unreachable broker gives an error instead of a hang.
 */
public final class KafkaExampleWriter implements ExampleWriter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaExampleWriter.class);

    /** Default bound on reaching the broker and on each blocking producer call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Partitions of a topic that {@link #open} creates, when the caller has no preference. */
    public static final int DEFAULT_PARTITIONS = 4;

    private final String bootstrapServers;
    private final String topic;
    private final WireFormat format;
    private final Duration timeout;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private KafkaExampleWriter(
            String bootstrapServers,
            String topic,
            WireFormat format,
            Duration timeout,
            Map<String, Object> overrides) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.format = format;
        this.timeout = timeout;
        Map<String, Object> config = producerConfig(bootstrapServers, timeout);
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config);
    }

    /**
     * Checks that the broker responds, creates the topic when it is missing, and opens a producer.
     *
     * @param partitions partitions of the topic if it has to be created, at least 1
     * @param timeout bound on reaching the broker and on each blocking producer call
     * @throws IOException naming the bootstrap servers if the broker cannot be reached or the topic
     *     cannot be created within the timeout
     */
    public static KafkaExampleWriter open(
            String bootstrapServers,
            String topic,
            int partitions,
            WireFormat format,
            Duration timeout)
            throws IOException {
        return open(bootstrapServers, topic, partitions, format, timeout, Map.of());
    }

    /**
     * Like {@link #open(String, String, int, WireFormat, Duration)}, with producer settings that
     * replace those of {@link #producerConfig}, e.g. {@code compression.type} or {@code linger.ms}.
     */
    public static KafkaExampleWriter open(
            String bootstrapServers,
            String topic,
            int partitions,
            WireFormat format,
            Duration timeout,
            Map<String, Object> overrides)
            throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "Partition count is " + partitions + " but must be at least 1 (--partitions).");
        }
        try {
            // A separate reachability check gives a clearer message than a failed topic creation.
            KafkaAdmin.awaitReachable(bootstrapServers, timeout);
            KafkaAdmin.ensureTopic(bootstrapServers, topic, partitions, timeout);
        } catch (IllegalStateException | KafkaException e) {
            throw new IOException(
                    "Cannot write examples to topic "
                            + topic
                            + " at "
                            + bootstrapServers
                            + ": "
                            + e.getMessage(),
                    e);
        }
        LOG.info("Writing {} examples to topic {} at {}", format.id(), topic, bootstrapServers);
        return new KafkaExampleWriter(bootstrapServers, topic, format, timeout, overrides);
    }

    /**
     * Returns the producer settings: idempotent with {@code acks=all}, byte array keys and values,
     * batching tuned for many small records, and every blocking call bounded by the timeout.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Larger batches and a short linger raise throughput for records of a few hundred
        // bytes; see docs/benchmarks.md for the measurements behind these values.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // max.block.ms bounds send() while it waits for metadata of an unreachable broker.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs + 10 + 1000);
        return config;
    }

    @Override
    public void write(Example example) throws IOException {
        checkFailure();
        byte[] key = example.run().getBytes(StandardCharsets.UTF_8);
        byte[] value = ExampleCodec.encode(example, format);
        try {
            producer.send(
                    new ProducerRecord<>(topic, key, value),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failure.compareAndSet(null, exception);
                        }
                    });
        } catch (KafkaException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw failed(e);
        }
        checkFailure();
    }

    @Override
    public void close() throws IOException {
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            throw failed(e);
        }
        checkFailure();
    }

    private void checkFailure() throws IOException {
        Exception exception = failure.get();
        if (exception != null) {
            throw failed(exception);
        }
    }

    private IOException failed(Exception cause) {
        return new IOException(
                "Writing examples to topic "
                        + topic
                        + " at "
                        + bootstrapServers
                        + " failed: "
                        + cause.getMessage()
                        + ". Check that the broker is running and reachable.",
                cause);
    }

    @Override
    public String describe() {
        return "topic " + topic + " at " + bootstrapServers;
    }
}
