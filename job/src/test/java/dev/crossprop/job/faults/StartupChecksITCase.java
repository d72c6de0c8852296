package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.KafkaOutputs;
import dev.crossprop.job.cli.LocalCommand;
import dev.crossprop.job.cli.RunCommand;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Checks that {@code local} and {@code run} make before any job starts: a broker whose
 * {@code transaction.max.timeout.ms} is below the sinks' transaction timeout, a broker that
 * cannot be reached, and a bounded run without its examples topic stop the command with a
 * message that names the settings, the servers or the topic.
 */
class StartupChecksITCase {

    /** One minute: below the sinks' ten-minute transaction timeout. */
    private static final long BROKER_MAX_TIMEOUT_MS = 60_000;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(
            Map.of("transaction.max.timeout.ms", Long.toString(BROKER_MAX_TIMEOUT_MS)));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void localRejectsShortBrokerTransactionTimeout(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir, "timeout-local");

        int exit = new CommandLine(new LocalCommand(print(out), print(err))).execute(
                config.toString(), "--bootstrap-servers", KAFKA.bootstrapServers(), "--kafka-outputs",
                "--results", dir.resolve("results").toString());

        assertThat(exit).isEqualTo(2);
        assertNamesBothTimeouts(err.toString(StandardCharsets.UTF_8));
        assertThat(dir.resolve("results")).as("results folder of a job that never started").doesNotExist();
        assertThat(topics()).as("topics on the broker").doesNotContain("timeout-local-errors", "timeout-local-norms");
    }

    @Test
    void runRejectsShortBrokerTransactionTimeout(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir, "timeout-run");
        KAFKA.createTopic("timeout-run-examples", 1);

        int exit = new CommandLine(new RunCommand(print(err))).execute(
                "--config", config.toString(), "--bootstrap-servers", KAFKA.bootstrapServers());

        assertThat(exit).isEqualTo(2);
        assertNamesBothTimeouts(err.toString(StandardCharsets.UTF_8));
        assertThat(topics()).as("topics on the broker").doesNotContain("timeout-run-errors", "timeout-run-norms");
    }

    @Test
    void runRejectsMissingExamplesTopic(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir, "no-examples");

        int exit = new CommandLine(new RunCommand(print(err))).execute(
                "--config", config.toString(), "--bootstrap-servers", KAFKA.bootstrapServers());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Examples topic 'no-examples-examples' not found at " + KAFKA.bootstrapServers())
                .contains("crossprop produce geoff --topic no-examples-examples");
        assertThat(topics()).as("topics on the broker").doesNotContain("no-examples-examples", "no-examples-errors");
    }

    @Test
    void localReportsUnreachableBroker(@TempDir Path dir) throws Exception {
        Path config = writeConfig(dir, "unreachable");
        int port;
        // A port that was free a moment ago and has no listener now.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        String servers = "127.0.0.1:" + port;

        long start = System.nanoTime();
        int exit = new CommandLine(new LocalCommand(print(out), print(err))).execute(
                config.toString(), "--bootstrap-servers", servers, "--results", dir.resolve("results").toString());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exit).isNotZero();
        assertThat(elapsed).as("time until the command gave up").isLessThan(Duration.ofSeconds(40));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(servers).contains("not reachable");
        assertThat(dir.resolve("results")).doesNotExist();
    }

    private static void assertNamesBothTimeouts(String message) {
        assertThat(message)
                .contains("transaction.timeout.ms")
                .contains("transaction.max.timeout.ms")
                .contains(Long.toString(KafkaOutputs.TRANSACTION_TIMEOUT.toMillis()))
                .contains(Long.toString(BROKER_MAX_TIMEOUT_MS));
    }

    private static Path writeConfig(Path dir, String name) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, String.join("\n",
                "name: " + name,
                "task: {kind: geoff, inputs: 5, features: 20, examples_per_task: 30, schedule: 'A'}",
                "network: {hidden: 4}",
                "learners:",
                "  - {kind: backprop, step_size: 0.01}",
                "kafka: {partitions: 1}",
                ""));
        return config;
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
