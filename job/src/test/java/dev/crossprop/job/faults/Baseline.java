package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.sources.kafka.EmbeddedKafkaBroker;

import org.apache.flink.api.common.JobID;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The output of {@link FaultExperiment} run once without any failure: the reference that every
 * fault test compares its output with.
 *
 * <p>The run has its own broker and cluster and happens once per test JVM, on first use, because
 * the experiment's records depend only on its examples and learners, not on the broker, the
 * parallelism or the test. It checks that its topics and its files agree before any test uses it.
 */
final class Baseline {

    private static JobOutput output;

    private Baseline() {}

    static synchronized JobOutput output() throws Exception {
        if (output == null) {
            output = run();
        }
        return output;
    }

    private static JobOutput run() throws Exception {
        Path dir = Files.createTempDirectory("crossprop-baseline-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); TestCluster cluster = TestCluster.start()) {
            ExperimentConfig config = FaultExperiment.config("baseline", "baseline-examples", 2);
            FaultExperiment.createTopics(broker.bootstrapServers(), config);
            FaultExperiment.produce(broker.bootstrapServers(), config.kafka().topic(), FaultExperiment.interleavedExamples(config));

            JobID job = cluster.submit(FaultJobs.plain(config,
                    FaultJobs.options(broker.bootstrapServers(), dir.resolve("results"), "baseline"), dir.resolve("checkpoints")));
            cluster.awaitSuccess(job, Duration.ofMinutes(3));

            JobOutput files = JobOutput.readFiles(dir.resolve("results"));
            assertThat(files.errors()).as("baseline error records").hasSize(FaultExperiment.RECORDS);
            assertThat(files.norms()).as("baseline norm records").hasSize(FaultExperiment.RECORDS);
            assertThat(files.deadLetters()).as("baseline dead letters").isEmpty();
            JobOutput topics = JobOutput.readTopics(broker.bootstrapServers(), config.kafka());
            topics.assertSameAs(files, "baseline topics");
            return files;
        } finally {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
