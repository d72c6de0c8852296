package dev.crossprop.sources.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.RepositoryFiles;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.cli.ProduceCommand;
import dev.crossprop.sources.geoff.GeoffConfig;
import dev.crossprop.sources.geoff.GeoffGenerator;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;
import dev.crossprop.sources.mnist.MnistConfig;
import dev.crossprop.sources.mnist.MnistTasks;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Writes GEOFF and MNIST runs to a real broker and reads them back. */
class ProducerITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final GeoffConfig GEOFF =
            GeoffConfig.builder().features(100).examplesPerTask(40).seed(20).build();

    private static MnistTasks mnist() throws Exception {
        return MnistTasks.load(
                MnistConfig.builder()
                        .images(RepositoryFiles.root().resolve(MnistConfig.DEFAULT_IMAGES))
                        .labels(RepositoryFiles.root().resolve(MnistConfig.DEFAULT_LABELS))
                        .count(30)
                        .build());
    }

    /** Reads the topic from the start with read_committed isolation until count records. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Checks that the records hold exactly the expected runs: key = run id, each run in one
     * partition, in index order, and every value decoding to the generated example.
     */
    private static void checkRuns(
            List<ConsumerRecord<byte[], byte[]>> records, Map<String, List<Example>> expected)
            throws Exception {
        Map<String, List<Example>> received = new LinkedHashMap<>();
        Map<String, Integer> partitionOfRun = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Example example = ExampleCodec.decode(record.value());
            String key = new String(record.key(), StandardCharsets.UTF_8);
            assertThat(key).isEqualTo(example.run());
            Integer previous = partitionOfRun.putIfAbsent(key, record.partition());
            assertThat(record.partition())
                    .as("partition of run %s", key)
                    .isEqualTo(previous == null ? record.partition() : previous);
            received.computeIfAbsent(key, k -> new ArrayList<>()).add(example);
        }
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, List<Example>> run : expected.entrySet()) {
            // Records of one partition arrive in offset order, so this also checks the order.
            assertThat(received.get(run.getKey()))
                    .as("run %s", run.getKey())
                    .containsExactlyElementsOf(run.getValue());
        }
    }

    private static List<Example> list(Iterator<Example> iterator) {
        List<Example> examples = new ArrayList<>();
        iterator.forEachRemaining(examples::add);
        return examples;
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void geoffAndMnistRunsRoundTrip(WireFormat format) throws Exception {
        String topic = "examples-" + format.id();
        Map<String, List<Example>> expected = new LinkedHashMap<>();
        List<Iterator<Example>> geoffRuns = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            GeoffGenerator generator = new GeoffGenerator(GEOFF.withSeed(20 + r));
            expected.put(generator.runId(), list(generator.iterator()));
            geoffRuns.add(generator.iterator());
        }
        MnistTasks mnist = mnist();
        expected.put(mnist.runId(), list(mnist.iterator()));

        long geoffCount =
                ExampleProducer.produceToKafka(
                        KAFKA.bootstrapServers(),
                        topic,
                        4,
                        format,
                        geoffRuns,
                        ExampleValidator.regression(20, 1));
        long mnistCount =
                ExampleProducer.produceToKafka(
                        KAFKA.bootstrapServers(),
                        topic,
                        4,
                        format,
                        List.of(mnist.iterator()),
                        mnist.validator());

        // 3 GEOFF runs x 6 stages x 40 examples, and 1 MNIST run x 6 stages x 30 images.
        assertThat(geoffCount).isEqualTo(720);
        assertThat(mnistCount).isEqualTo(180);
        List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 900);
        assertThat(records).hasSize(900);
        assertThat(records)
                .allSatisfy(
                        record ->
                                assertThat(record.value()[0] == (byte) 0xC5)
                                        .isEqualTo(format == WireFormat.BINARY));
        checkRuns(records, expected);
    }

    @Test
    void commandWritesToTopic() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ProduceCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exit =
                commandLine.execute(
                        "geoff",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "command-topic",
                        "--runs",
                        "2",
                        "--seed",
                        "7",
                        "--features",
                        "30",
                        "--examples-per-task",
                        "5",
                        "--format",
                        "json",
                        "--partitions",
                        "2");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).contains("Wrote 60 examples to topic command-topic");
        GeoffConfig config = GeoffConfig.builder().features(30).examplesPerTask(5).build();
        Map<String, List<Example>> expected = new LinkedHashMap<>();
        for (long seed = 7; seed <= 8; seed++) {
            expected.put(
                    GeoffGenerator.runId(seed),
                    list(new GeoffGenerator(config.withSeed(seed)).iterator()));
        }
        checkRuns(consume("command-topic", 60), expected);
    }
}
