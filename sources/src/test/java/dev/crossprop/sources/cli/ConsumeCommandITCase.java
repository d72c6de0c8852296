package dev.crossprop.sources.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tests of the {@code consume} command against a real broker on 127.0.0.1. */
class ConsumeCommandITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** Short enough for fast tests, long enough for a fetch on a loaded machine. */
    private static final String IDLE = "1s";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        KafkaProducer<byte[], byte[]> producer =
                producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
        producer.initTransactions();
        return producer;
    }

    private static ConsumeRun consume(String topic, String... options) {
        List<String> args =
                new ArrayList<>(
                        List.of("--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", topic));
        args.addAll(List.of(options));
        return ConsumeRun.execute(args.toArray(String[]::new));
    }

    @Test
    void abortedAndOpenTransactionsDoNotPrint() {
        String topic = "transactions";
        KAFKA.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("consume-test")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, utf8("committed-1")));
            producer.send(new ProducerRecord<>(topic, utf8("committed-2")));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, utf8("aborted")));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, utf8("committed-3")));
            producer.commitTransaction();

            // A transaction still open while the command reads, like the job's transactions
            // between two checkpoints.
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, utf8("open")));
            producer.flush();

            ConsumeRun run = consume(topic, "--idle-timeout", IDLE);

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.lines()).containsExactly("committed-1", "committed-2", "committed-3");
            assertThat(run.err())
                    .isEqualTo(
                            "consume: printed 3 records of topic transactions (partition 0: 3);"
                                    + " stopped because no record arrived for 1s.\n");
            producer.abortTransaction();
        }
    }

    @Test
    void binaryExamplesPrintAsTheirJson() throws Exception {
        String topic = "examples";
        KAFKA.createTopic(topic, 1);
        double[] targets = {-0.0};
        List<Example> examples =
                List.of(
                        Example.regression("r1", 0, "A", new double[] {0.5, -1e-9}, targets),
                        Example.classification("r2", 0, "B", new double[] {1, 0, 0.25}, 7),
                        Example.regression("r1", 1, "A", new double[] {1.0 / 3}, targets));
        byte[] notAnExample = {(byte) 0xC5, 9, 0, (byte) 0xFF};
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (Example example : examples) {
                byte[] binary = ExampleCodec.encode(example, WireFormat.BINARY);
                producer.send(new ProducerRecord<>(topic, utf8(example.run()), binary)).get();
            }
            producer.send(new ProducerRecord<>(topic, null, notAnExample)).get();
        }

        ConsumeRun run = consume(topic, "--idle-timeout", IDLE);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> expected = new ArrayList<>();
        for (Example example : examples) {
            byte[] json = ExampleCodec.encode(example, WireFormat.JSON);
            expected.add(new String(json, StandardCharsets.UTF_8));
        }
        // Base64 of the bytes C5 09 00 FF.
        expected.add("base64:xQkA/w==");
        assertThat(run.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void maxRecordsStopsWithoutWaitingForIdle() throws Exception {
        String topic = "many";
        KAFKA.createTopic(topic, 3);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, null, utf8("record-" + i))).get();
            }
        }

        long startNanos = System.nanoTime();
        ConsumeRun run = consume(topic, "--max-records", "7", "--idle-timeout", "2min");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(7).allMatch(line -> line.startsWith("record-"));
        assertThat(run.err()).contains("consume: printed 7 records of topic many (partition 0: ");
        assertThat(run.err()).endsWith("; stopped at --max-records 7.\n");
        // Far below the idle timeout of 2 minutes, which the command must not wait for.
        assertThat(elapsed).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void positionAndKeyPrefixEachLine() throws Exception {
        String topic = "keyed";
        KAFKA.createTopic(topic, 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, 0, utf8("run-a"), utf8("a0"))).get();
            producer.send(new ProducerRecord<>(topic, 1, utf8("run-b"), utf8("b0"))).get();
            producer.send(new ProducerRecord<>(topic, 0, utf8("run-a"), utf8("a1"))).get();
            producer.send(new ProducerRecord<>(topic, 1, null, utf8("b1"))).get();
        }

        ConsumeRun both = consume(topic, "--position", "--key", "--idle-timeout", IDLE);
        ConsumeRun positionOnly = consume(topic, "--position", "--idle-timeout", IDLE);
        ConsumeRun keyOnly = consume(topic, "--key", "--idle-timeout", IDLE);

        assertThat(both.exitCode()).as(both.err()).isZero();
        // The order between partitions is not defined, but within a partition it is offset order.
        assertThat(both.lines())
                .containsExactlyInAnyOrder(
                        "0:0\trun-a\ta0", "0:1\trun-a\ta1", "1:0\trun-b\tb0", "1:1\t\tb1");
        assertThat(both.lines()).containsSubsequence("0:0\trun-a\ta0", "0:1\trun-a\ta1");
        assertThat(both.lines()).containsSubsequence("1:0\trun-b\tb0", "1:1\t\tb1");
        assertThat(both.err())
                .contains("printed 4 records of topic keyed (partition 0: 2, partition 1: 2)");
        assertThat(positionOnly.lines())
                .containsExactlyInAnyOrder("0:0\ta0", "0:1\ta1", "1:0\tb0", "1:1\tb1");
        assertThat(keyOnly.lines())
                .containsExactlyInAnyOrder("run-a\ta0", "run-a\ta1", "run-b\tb0", "\tb1");
    }

    @Test
    void unknownTopicListsExistingTopics() {
        KAFKA.createTopic("existing", 1);

        ConsumeRun run = consume("missing", "--idle-timeout", IDLE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith(
                        "consume: Topic 'missing' not found at " + KAFKA.bootstrapServers() + ".")
                .contains("existing")
                .contains("Pass one of them with --topic.");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void emptyTopicStopsAfterIdleTimeout() {
        String topic = "empty";
        KAFKA.createTopic(topic, 2);

        long startNanos = System.nanoTime();
        ConsumeRun run = consume(topic, "--idle-timeout", "500ms");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo(
                        "consume: printed 0 records of topic empty (partition 0: 0,"
                                + " partition 1: 0); stopped because no record arrived for 500ms"
                                + " (records of open transactions show once they are"
                                + " committed).\n");
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }
}
