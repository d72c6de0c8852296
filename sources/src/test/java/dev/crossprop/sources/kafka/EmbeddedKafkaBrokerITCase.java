package dev.crossprop.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class EmbeddedKafkaBrokerITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Kafka's default transaction.max.timeout.ms: 15 minutes, documented for Kafka 4.2. */
    private static final long KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 15 * 60 * 1000L;

    @Test
    void bootstrapServersIsLoopbackAddress() {
        assertThat(KAFKA.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void idempotentProducerRecordsReadBackInKeyOrder() throws Exception {
        String topic = "idempotent";
        KAFKA.createTopic(topic, 3);
        int recordCount = 60;
        int keyCount = 4;
        try (KafkaProducer<String, String> producer =
                KafkaTestClients.idempotentProducer(KAFKA.bootstrapServers())) {
            for (int i = 0; i < recordCount; i++) {
                producer.send(new ProducerRecord<>(topic, "run-" + (i % keyCount), "" + i)).get();
            }
        }

        List<ConsumerRecord<String, String>> records =
                KafkaTestClients.consume(
                        KAFKA.bootstrapServers(), topic, recordCount, "read_committed");

        assertThat(records).hasSize(recordCount);
        // One key stays in one partition, so its values come back in the order they were sent.
        Map<String, List<Integer>> valuesByKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            valuesByKey
                    .computeIfAbsent(record.key(), key -> new ArrayList<>())
                    .add(Integer.parseInt(record.value()));
        }
        assertThat(valuesByKey).hasSize(keyCount);
        valuesByKey.values().forEach(values -> assertThat(values).isSorted().hasSize(15));
    }

    @Test
    void committedTransactionVisibleAbortedInvisible() {
        String topic = "transactions";
        KAFKA.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer =
                KafkaTestClients.transactionalProducer(KAFKA.bootstrapServers(), "tx-test")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
            producer.commitTransaction();
        }

        // read_uncommitted shows that the aborted record reached the log...
        List<String> uncommitted =
                KafkaTestClients.values(
                        KafkaTestClients.consume(
                                KAFKA.bootstrapServers(), topic, 4, "read_uncommitted"));
        assertThat(uncommitted)
                .containsExactly("committed-1", "committed-2", "aborted", "committed-3");

        // ...and read_committed skips it: had it been visible, it would precede committed-3.
        List<String> committed =
                KafkaTestClients.values(
                        KafkaTestClients.consume(
                                KAFKA.bootstrapServers(), topic, 3, "read_committed"));
        assertThat(committed).containsExactly("committed-1", "committed-2", "committed-3");
    }

    @Test
    void createTopicTwiceFails() {
        KAFKA.createTopic("twice", 1);

        assertThatThrownBy(() -> KAFKA.createTopic("twice", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Topic twice exists already");
    }

    @Test
    void createTopicRejectsZeroPartitions() {
        assertThatThrownBy(() -> KAFKA.createTopic("empty", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions of topic empty is 0");
    }

    @Test
    void ensureTopicCreatesThenKeepsTopic() {
        KafkaAdmin.ensureTopic(KAFKA.bootstrapServers(), "ensured", 2, TIMEOUT);
        // A second call with another partition count leaves the existing topic as it is.
        KafkaAdmin.ensureTopic(KAFKA.bootstrapServers(), "ensured", 5, TIMEOUT);

        assertThatThrownBy(() -> KAFKA.createTopic("ensured", 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exists already");
    }

    @Test
    void recordCountAndFirstRecordPerPartition() throws Exception {
        String topic = "first-records";
        KAFKA.createTopic(topic, 3);
        try (KafkaProducer<String, String> producer =
                KafkaTestClients.idempotentProducer(KAFKA.bootstrapServers())) {
            // Partitions 0 and 2 get records, partition 1 stays empty.
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "a", "zero-" + i)).get();
                producer.send(new ProducerRecord<>(topic, 2, "b", "two-" + i)).get();
            }
        }

        long count = KafkaAdmin.recordCount(KAFKA.bootstrapServers(), topic, TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> first =
                KafkaAdmin.firstRecords(KAFKA.bootstrapServers(), topic, TIMEOUT);

        assertThat(count).isEqualTo(10);
        assertThat(first).extracting(ConsumerRecord::partition).containsExactly(0, 2);
        assertThat(first).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactly("zero-0", "two-0");
        assertThat(KafkaAdmin.recordCount(KAFKA.bootstrapServers(), "no-such-topic", TIMEOUT)).isZero();
        assertThat(KafkaAdmin.firstRecords(KAFKA.bootstrapServers(), "no-such-topic", TIMEOUT)).isEmpty();
    }

    @Test
    void transactionMaxTimeoutIsKafkaDefault() {
        long timeoutMs = KafkaAdmin.transactionMaxTimeoutMs(KAFKA.bootstrapServers(), TIMEOUT);

        assertThat(timeoutMs).isEqualTo(KAFKA_DEFAULT_TRANSACTION_MAX_TIMEOUT_MS);
    }

    @Test
    void secondBrokerUsesOtherPortAndOverrides() throws Exception {
        long overriddenTimeoutMs = 60_000;
        try (EmbeddedKafkaBroker second =
                EmbeddedKafkaBroker.start(
                        Map.of("transaction.max.timeout.ms", Long.toString(overriddenTimeoutMs)))) {
            assertThat(second.bootstrapServers()).isNotEqualTo(KAFKA.bootstrapServers());
            assertThat(second.dataDir()).isNotEqualTo(KAFKA.broker().dataDir());
            assertThat(KafkaAdmin.transactionMaxTimeoutMs(second.bootstrapServers(), TIMEOUT))
                    .isEqualTo(overriddenTimeoutMs);
        }
        KafkaAdmin.awaitReachable(KAFKA.bootstrapServers(), TIMEOUT);
    }

    @Test
    void closeDeletesDataDirectory() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Path dataDir = broker.dataDir();
        assertThat(dataDir.resolve(BrokerProperties.LOG_DIR_NAME).resolve("meta.properties"))
                .exists();

        broker.close();

        assertThat(Files.exists(dataDir)).isFalse();
        // A second close does nothing.
        broker.close();
    }
}
