package dev.crossprop.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;
import dev.crossprop.sources.producer.KafkaExampleWriter;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/** The examples-topic check against a real broker, with topics written as a user might. */
class ExamplesTopicCheckITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Writes and loads an experiment of 2 runs x 30 examples on a topic of 2 partitions. */
    private ExperimentConfig config(String topic, String taskSettings, int firstSeed) throws Exception {
        Path file = dir.resolve(topic + "-" + firstSeed + "-" + Math.abs(taskSettings.hashCode()) + ".yaml");
        Files.writeString(file, String.join("\n",
                "name: check",
                "task: {kind: geoff, inputs: 5, examples_per_task: 30, schedule: 'A', " + taskSettings + "}",
                "runs: {count: 2, first_seed: " + firstSeed + "}",
                "network: {hidden: 4}",
                "learners:",
                "  - {kind: backprop, step_size: 0.01}",
                "kafka: {topic: " + topic + ", partitions: 2}",
                ""));
        return ExperimentConfigLoader.load(file);
    }

    private static void produce(ExperimentConfig config) throws Exception {
        try (KafkaExampleWriter writer = KafkaExampleWriter.open(
                KAFKA.bootstrapServers(), config.kafka().topic(), 2, WireFormat.BINARY, TIMEOUT)) {
            for (Iterator<Example> run : ExperimentExamples.runs(config)) {
                while (run.hasNext()) {
                    writer.write(run.next());
                }
            }
            writer.flush();
        }
    }

    @Test
    void examplesFromTheFilePass() throws Exception {
        ExperimentConfig config = config("check-same", "features: 20", 1);
        produce(config);

        assertThatCode(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .doesNotThrowAnyException();
    }

    @Test
    void otherTaskSettingsAreRejected() throws Exception {
        produce(config("check-settings", "features: 30", 1));
        ExperimentConfig config = config("check-settings", "features: 20", 1);

        assertThatThrownBy(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Examples topic 'check-settings' at " + KAFKA.bootstrapServers())
                .hasMessageContaining("which differs from the one " + config.source() + " generates: target 0 is")
                .hasMessageContaining("delete the topic and use `run --produce`");
    }

    @Test
    void topicWrittenTwiceIsRejected() throws Exception {
        ExperimentConfig config = config("check-twice", "features: 20", 1);
        produce(config);
        produce(config);

        assertThatThrownBy(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .hasMessageContaining("contains 120 records, but " + config.source() + " generates 60 examples (2 runs x 30)")
                .hasMessageContaining("or twice");
    }

    @Test
    void otherRunsAreRejected() throws Exception {
        produce(config("check-runs", "features: 20", 5));
        ExperimentConfig config = config("check-runs", "features: 20", 1);

        assertThatThrownBy(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .hasMessageContaining("contains run 'geoff-seed-")
                .hasMessageContaining("does not generate: its runs are geoff-seed-1 to geoff-seed-2");
    }

    @Test
    void emptyTopicIsRejected() throws Exception {
        ExperimentConfig config = config("check-empty", "features: 20", 1);
        KAFKA.createTopic("check-empty", 2);

        assertThatThrownBy(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .hasMessageContaining("contains 0 records, but " + config.source() + " generates 60 examples")
                .hasMessageNotContaining("or twice");
    }

    @Test
    void invalidFirstRecordIsRejected() throws Exception {
        ExperimentConfig config = config("check-invalid", "features: 20", 1);
        KAFKA.createTopic("check-invalid", 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("check-invalid", "not an example".getBytes(StandardCharsets.UTF_8))).get();
            // The rest of the count, so that the count check passes and the first record decides.
            for (int i = 0; i < 59; i++) {
                producer.send(new ProducerRecord<>("check-invalid", new byte[] {1})).get();
            }
        }

        assertThatThrownBy(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .hasMessageContaining("contains an invalid example at partition 0, offset 0");
    }

    @Test
    void liveTaskIsNotChecked() throws Exception {
        Path file = dir.resolve("live.yaml");
        Files.writeString(file, String.join("\n",
                "name: live-check",
                "task: {kind: live, inputs: 3, outputs: 1}",
                "network: {hidden: 4}",
                "learners:",
                "  - {kind: backprop, step_size: 0.01}",
                "kafka: {topic: check-live-missing}",
                ""));
        ExperimentConfig config = ExperimentConfigLoader.load(file);

        assertThatCode(() -> ExamplesTopicCheck.check(config, KAFKA.bootstrapServers(), TIMEOUT))
                .doesNotThrowAnyException();
    }
}
