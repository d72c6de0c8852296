package dev.crossprop.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sources.kafka.EmbeddedKafkaBroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@code local} command end to end: its own broker, the job on a mini cluster, results and summary. */
class LocalCommandITCase {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        LocalCommand command = new LocalCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(command).execute(args);
    }

    @Test
    void smallGeoffRunWritesResultsAndSummary(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, String.join("\n",
                "name: tiny",
                "task: {kind: geoff, inputs: 5, features: 20, examples_per_task: 30, schedule: 'A,B'}",
                "runs: {count: 2}",
                "network: {hidden: 4}",
                "learners:",
                "  - {kind: crossprop-approx, step_size: 0.01, eta: 0}",
                "  - {kind: momentum, step_size: 0.01}",
                "checkpoint_interval: 200ms",
                ""));

        int exit = run(config.toString(), "--results", dir.resolve("results").toString(), "--parallelism", "2");

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("Done in").contains("240 error records");
        assertThat(printed).containsPattern("crossprop-approx-eta0 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+");
        assertThat(printed).containsPattern("momentum +[0-9.]+");

        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("results/tiny/manifest.json").toFile());
        assertThat(manifest.get("learners")).hasSize(2);
        assertThat(manifest.get("runs").get(1).get("run").asText()).isEqualTo("geoff-seed-2");
        assertThat(manifest.get("stages").get(1).get("first_index").asLong()).isEqualTo(30);
        assertThat(manifest.get("configuration").get("name").asText()).isEqualTo("tiny");
        assertThat(manifest.get("code_version").asText()).isNotEmpty();
    }

    @Test
    void badConfigurationIsRejectedBeforeAnyJob(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "name: bad\ntask: {kind: geoff}\nlearners: [{kind: sgd, step_size: 0.1}]\n");

        int exit = run(config.toString(), "--results", dir.resolve("results").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("bad.yaml")
                .contains("learners[0].kind")
                .contains("allowed: crossprop, crossprop-approx, backprop, momentum, rmsprop, adam");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Kafka broker");
        assertThat(dir.resolve("results")).doesNotExist();
    }

    @Test
    void existingTopicIsCheckedBeforeAnyJob(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Path config = dir.resolve("stray.yaml");
            Files.writeString(config, String.join("\n",
                    "name: stray",
                    "task: {kind: geoff, inputs: 5, features: 20, examples_per_task: 30, schedule: 'A'}",
                    "runs: {count: 2}",
                    "network: {hidden: 4}",
                    "learners: [{kind: backprop, step_size: 0.01}]",
                    ""));
            broker.createTopic("stray-examples", 1);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("stray-examples", "stray".getBytes(StandardCharsets.UTF_8))).get();
            }
            String results = dir.resolve("results").toString();

            int produceAgain = run(config.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--results", results);
            String firstMessage = err.toString(StandardCharsets.UTF_8);
            err.reset();
            int learnAsIs = run(config.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--results", results,
                    "--no-produce");

            assertThat(produceAgain).isEqualTo(2);
            assertThat(firstMessage).contains("Examples topic 'stray-examples' at " + broker.bootstrapServers()
                    + " already contains records. Pass --no-produce");
            assertThat(learnAsIs).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("contains 1 record, but " + config + " generates 60 examples (2 runs x 30)");
            assertThat(dir.resolve("results")).doesNotExist();
        }
    }
}
