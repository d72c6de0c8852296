package dev.crossprop.sources.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleJson;
import dev.crossprop.sources.RepositoryFiles;
import dev.crossprop.sources.geoff.GeoffConfig;
import dev.crossprop.sources.geoff.GeoffGenerator;
import dev.crossprop.sources.mnist.MnistConfig;
import dev.crossprop.sources.mnist.MnistTasks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

class ProduceCommandTest {

    @TempDir Path dir;

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = ProduceCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }

    private static List<Example> readLines(Path file) throws Exception {
        List<Example> examples = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            examples.add(ExampleJson.parse(line));
        }
        return examples;
    }

    @Test
    void geoffRunsTakeTurnsInBlocksAndAreExact() throws Exception {
        Path out = dir.resolve("geoff.jsonl");

        int exit =
                execute(
                        "geoff",
                        "--out",
                        out.toString(),
                        "--runs",
                        "3",
                        "--seed",
                        "5",
                        "--features",
                        "50",
                        "--examples-per-task",
                        "10",
                        "--schedule",
                        "A,B,A",
                        "--block",
                        "5");

        assertThat(exit).as(err.toString()).isZero();
        List<Example> examples = readLines(out);
        assertThat(examples).hasSize(3 * 30);
        GeoffConfig config =
                GeoffConfig.builder().features(50).examplesPerTask(10).schedule("A,B,A").build();
        for (int r = 0; r < 3; r++) {
            Iterator<Example> expected = new GeoffGenerator(config.withSeed(5 + r)).iterator();
            for (int k = 0; k < 30; k++) {
                // Blocks of 5: example k of run r is in block k / 5, after the blocks of runs < r.
                assertThat(examples.get(15 * (k / 5) + 5 * r + k % 5)).isEqualTo(expected.next());
            }
        }
        assertThat(err.toString()).contains("Wrote 90 examples to file " + out);
    }

    @Test
    void mnistRunMatchesTaskStream() throws Exception {
        Path out = dir.resolve("mnist.jsonl");
        Path images = RepositoryFiles.root().resolve(MnistConfig.DEFAULT_IMAGES);
        Path labels = RepositoryFiles.root().resolve(MnistConfig.DEFAULT_LABELS);

        int exit =
                execute(
                        "mnist",
                        "--out",
                        out.toString(),
                        "--images",
                        images.toString(),
                        "--labels",
                        labels.toString(),
                        "--count",
                        "5",
                        "--task-kind",
                        "permute",
                        "--seed",
                        "2");

        assertThat(exit).as(err.toString()).isZero();
        MnistConfig config =
                MnistConfig.builder()
                        .images(images)
                        .labels(labels)
                        .count(5)
                        .taskKind(dev.crossprop.sources.mnist.MnistTaskKind.PERMUTE)
                        .seed(2)
                        .build();
        List<Example> expected = new ArrayList<>();
        MnistTasks.load(config).iterator().forEachRemaining(expected::add);
        assertThat(readLines(out)).containsExactlyElementsOf(expected);
    }

    @Test
    void missingDestinationIsAUsageError() {
        assertThat(execute("geoff", "--topic", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing --bootstrap-servers; give both --bootstrap-servers and --topic");

        assertThat(execute("geoff")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing --bootstrap-servers and --topic; give both");
    }

    @Test
    void usageErrorIsShortWithHint() {
        assertThat(execute("geoff", "--out", dir.resolve("x").toString(), "--rnus", "3"))
                .isEqualTo(2);
        String message = err.toString();
        assertThat(message).contains("Unknown options: '--rnus', '3'");
        assertThat(message).contains("Add --help to 'produce geoff' to list its options.");
        assertThat(message).doesNotContain("Usage:");
    }

    @Test
    void invalidSettingsNameTheOption() {
        assertThat(execute("geoff", "--out", dir.resolve("x").toString(), "--beta", "1.5"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("beta is 1.5");

        assertThat(execute("geoff", "--out", dir.resolve("x").toString(), "--format", "avro"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("Unknown wire format 'avro'");

        assertThat(execute("mnist", "--out", dir.resolve("x").toString(), "--task-kind", "rotate"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'rotate'");

        assertThat(execute("geoff", "--out", dir.resolve("x").toString(), "--block", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--block is 0 but must be at least 1 example");
    }

    @Test
    void missingDefaultSampleExplainsWhereToRun() {
        // Maven runs tests in the module folder, where the relative default path does not exist.
        int exit = execute("mnist", "--out", dir.resolve("x").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist").contains("--images and --labels");
    }

    @Test
    void rateLimitsTheStream() throws Exception {
        Path out = dir.resolve("paced.jsonl");
        long start = System.nanoTime();

        int exit =
                execute(
                        "geoff",
                        "--out",
                        out.toString(),
                        "--features",
                        "10",
                        "--examples-per-task",
                        "5",
                        "--schedule",
                        "A,B",
                        "--rate",
                        "50");

        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(exit).isZero();
        assertThat(readLines(out)).hasSize(10);
        // 10 examples at 50 per second: the last one is due 9 / 50 = 0.18 s after the first.
        assertThat(seconds).isGreaterThanOrEqualTo(0.18);
    }

    @Test
    void unreachableBrokerFailsWithinTimeout() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String servers = "127.0.0.1:" + port;
        long start = System.nanoTime();

        int exit =
                execute(
                        "geoff",
                        "--bootstrap-servers",
                        servers,
                        "--topic",
                        "examples",
                        "--timeout",
                        "3",
                        "--examples-per-task",
                        "1");

        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(servers).contains("not reachable");
        // The admin call is bounded by --timeout 3; 20 s leaves room for a slow machine.
        assertThat(seconds).isLessThan(20);
    }
}
