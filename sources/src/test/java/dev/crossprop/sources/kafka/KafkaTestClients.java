package dev.crossprop.sources.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Producers and consumers of string records for the broker tests. */
final class KafkaTestClients {

    /** Maximum time that {@link #consume} polls before it returns what it has. */
    static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

    private KafkaTestClients() {}

    /** Opens an idempotent producer that waits for acknowledgement by all in-sync replicas. */
    static KafkaProducer<String, String> idempotentProducer(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Opens a transactional producer and initialises its transactions. */
    static KafkaProducer<String, String> transactionalProducer(
            String bootstrapServers, String transactionalId) {
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                        new StringSerializer(),
                        new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    /**
     * Reads {@code topic} from the earliest offset with a fresh consumer group until {@code
     * expectedCount} records have arrived or {@link #CONSUME_TIMEOUT} has passed.
     *
     * @param isolationLevel {@code read_committed} or {@code read_uncommitted}
     * @return the records in the order the consumer returned them, possibly fewer than expected
     */
    static List<ConsumerRecord<String, String>> consume(
            String bootstrapServers, String topic, int expectedCount, String isolationLevel) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        isolationLevel,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
            while (records.size() < expectedCount && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Returns the values of {@code records} in order. */
    static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
