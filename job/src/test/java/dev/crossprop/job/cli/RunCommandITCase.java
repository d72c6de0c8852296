package dev.crossprop.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code run --produce} against a real broker, with the job on a local mini cluster: it writes the
 * experiment's examples before it learns them, and it refuses a topic that already contains records.
 */
class RunCommandITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void produceWritesExamplesThenLearns(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir, "run-produce");

        int exit = run(config, dir);

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        // 2 runs x 30 examples, each learned by 2 learners.
        assertThat(countCommitted("run-produce-examples", 60)).isEqualTo(60);
        assertThat(countCommitted("run-produce-errors", 120)).isEqualTo(120);
    }

    @Test
    void produceRejectsTopicWithRecords(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir, "run-again");
        KAFKA.createTopic("run-again-examples", 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("run-again-examples", "earlier".getBytes(StandardCharsets.UTF_8))).get();
        }

        int exit = run(config, dir);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Examples topic 'run-again-examples' at " + KAFKA.bootstrapServers() + " already contains records");
        assertThat(countCommitted("run-again-examples", 1)).as("records in the examples topic").isEqualTo(1);
    }

    @Test
    void runRejectsTopicFromOtherSettings(@TempDir Path dir) throws Exception {
        // The examples of 3 runs where the file has 2: same settings otherwise.
        Path produced = writeConfig(dir, "run-other", "runs: {count: 3}");
        assertThat(run(produced, dir)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path config = writeConfig(dir, "run-other");
        err.reset();

        int exit = new CommandLine(new RunCommand(new PrintStream(err, true, StandardCharsets.UTF_8))).execute(
                "--config", config.toString(), "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--checkpoint-dir", dir.resolve("checkpoints-2").toUri().toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Examples topic 'run-other-examples' at " + KAFKA.bootstrapServers() + " contains 90 records, but "
                        + config + " generates 60 examples (2 runs x 30)");
    }

    private int run(Path config, Path dir) {
        return new CommandLine(new RunCommand(new PrintStream(err, true, StandardCharsets.UTF_8))).execute(
                "--config", config.toString(), "--bootstrap-servers", KAFKA.bootstrapServers(), "--produce",
                "--checkpoint-dir", dir.resolve("checkpoints").toUri().toString());
    }

    private static Path writeConfig(Path dir, String name) throws Exception {
        return writeConfig(dir, name, "runs: {count: 2}");
    }

    private static Path writeConfig(Path dir, String name, String runs) throws Exception {
        Path config = dir.resolve(name + "-" + Math.abs(runs.hashCode()) + ".yaml");
        Files.writeString(config, String.join("\n",
                "name: " + name,
                "task: {kind: geoff, inputs: 5, features: 20, examples_per_task: 30, schedule: 'A'}",
                runs,
                "network: {hidden: 4}",
                "learners:",
                "  - {kind: backprop, step_size: 0.01}",
                "  - {kind: crossprop, step_size: 0.01, eta: 0}",
                "kafka: {partitions: 1}",
                "checkpoint_interval: 200ms",
                ""));
        return config;
    }

    /** Counts the committed records of {@code topic}, reading until {@code expected} or 60 s, then once more. */
    private static int countCommitted(String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "count-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(500)).count();
            }
            count += consumer.poll(Duration.ofSeconds(2)).count();
        }
        return count;
    }
}
