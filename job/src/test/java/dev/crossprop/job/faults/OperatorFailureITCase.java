package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.JobOptions;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Failures inside the job on a mini cluster with a real broker: an operator that throws once in the
 * middle of the input, and a task that fails after a checkpoint completed but before the sinks
 * committed it. After recovery, the files and a read-committed consumer of the topics must hold
 * the {@link Baseline}'s records, each once and bit for bit.
 */
class OperatorFailureITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String TOPIC = "operator-failure-examples";

    /** Examples in the topic: every run's examples. */
    private static final long EXAMPLES = (long) FaultExperiment.RUNS * FaultExperiment.EXAMPLES_PER_RUN;

    /** Pause per example in the probe; 900 examples then take at least 2 s at parallelism 2. */
    private static final long SLEEP_MILLIS = 5;

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    private String probeName;

    @BeforeAll
    static void produceExamples() {
        ExperimentConfig config = FaultExperiment.config("operator-failure", TOPIC, 1);
        FaultExperiment.createTopics(KAFKA.bootstrapServers(), config);
        FaultExperiment.produce(KAFKA.bootstrapServers(), TOPIC, FaultExperiment.interleavedExamples(config));
    }

    @AfterEach
    void removeProbe() {
        if (probeName != null) {
            Probe.remove(probeName);
        }
    }

    @Test
    void exceptionMidRunIsRecovered(@TempDir Path dir) throws Exception {
        JobOutput baseline = Baseline.output();
        probeName = "throw-once";
        Probe probe = Probe.create(probeName);
        ExperimentConfig config = FaultExperiment.config(probeName, TOPIC, 2);
        FaultExperiment.createOutputTopics(KAFKA.bootstrapServers(), config);
        JobOptions options = FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("results"), probeName);

        try (TestCluster cluster = TestCluster.start()) {
            JobID job = cluster.submit(FaultJobs.probed(config, options, dir.resolve("checkpoints"),
                    new ProbeMap(probeName, SLEEP_MILLIS, EXAMPLES / 3)));
            cluster.awaitSuccess(job, JOB_TIMEOUT);
        }

        assertThat(probe.failed).as("failure injected").isTrue();
        assertThat(probe.recordsAtFailure.get()).as("examples passed at the failure").isLessThan(EXAMPLES);
        assertThat(probe.restoredFrom).as("checkpoints the restarted probes started from").isNotEmpty();
        JobOutput files = JobOutput.readFiles(dir.resolve("results"));
        files.assertSameAs(baseline, "files");
        JobOutput.readTopics(KAFKA.bootstrapServers(), config.kafka()).assertSameAs(baseline, "topics");
    }

    @Test
    void failureBetweenCheckpointAndCommitIsRecovered(@TempDir Path dir) throws Exception {
        JobOutput baseline = Baseline.output();
        probeName = "fail-before-commit";
        Probe probe = Probe.create(probeName);
        ExperimentConfig config = FaultExperiment.config(probeName, TOPIC, 1);
        FaultExperiment.createOutputTopics(KAFKA.bootstrapServers(), config);
        Path results = dir.resolve("results");
        JobOptions options = FaultJobs.options(KAFKA.bootstrapServers(), results, probeName);
        // The branch goes on the learner's output before the sinks, so that Flink notifies it
        // first of a completed checkpoint. It blocks on the first one after a tenth of the error
        // records, early enough that the input is far from its end.
        long holdAfterRecords = FaultExperiment.RECORDS / 10;
        JobGraph graph = FaultJobs.graph(config, options, dir.resolve("checkpoints"),
                FaultJobs.withProbe(new ProbeMap(probeName, SLEEP_MILLIS, ProbeMap.NEVER)),
                streams -> {
                    streams.errors().flatMap(new FailBeforeCommitBranch(probeName, holdAfterRecords), streams.errors().getType())
                            .uid("fail-before-commit").name("fail before commit");
                    return streams;
                });

        long heldCheckpoint;
        try (TestCluster cluster = TestCluster.start()) {
            JobID job = cluster.submit(graph);
            try {
                TestCluster.awaitCondition(() -> probe.blocked.getCount() == 0 || cluster.hasEnded(job), JOB_TIMEOUT,
                        "the learner task to block after a completed checkpoint");
                assertThat(probe.blocked.getCount()).as("learner task blocked before the job ended").isZero();

                // Checkpoint N has completed, and the learner task is blocked in its notification,
                // before its sinks' committers. Nothing of N may be visible yet. More records than
                // before N-1 mean that Flink notified a committer before the branch.
                heldCheckpoint = probe.heldCheckpoint.get();
                long writtenBeforeHeld = probe.recordsBeforeCheckpoint.get();
                long writtenBeforePrevious = probe.recordsBeforePreviousCheckpoint.get();
                assertThat(writtenBeforeHeld).as("error records before checkpoint %d", heldCheckpoint)
                        .isGreaterThan(writtenBeforePrevious)
                        .isLessThan(FaultExperiment.RECORDS);
                assertThat(JobOutput.readCommitted(KAFKA.bootstrapServers(), config.kafka().errorsTopic()))
                        .as("committed error records while checkpoint %d is pending", heldCheckpoint)
                        .hasSizeLessThanOrEqualTo((int) writtenBeforePrevious);
                assertThat(JobOutput.readCommitted(KAFKA.bootstrapServers(), config.kafka().normsTopic()))
                        .as("committed norm records, one per error record, while checkpoint %d is pending", heldCheckpoint)
                        .hasSizeLessThanOrEqualTo((int) writtenBeforePrevious);
                assertThat(JobOutput.readFiles(results).errors())
                        .as("visible error rows while checkpoint %d is pending", heldCheckpoint)
                        .hasSizeLessThanOrEqualTo((int) writtenBeforePrevious);
                assertThat(hiddenPartFiles(results.resolve("errors")))
                        .as("hidden error part files while checkpoint %d is pending", heldCheckpoint)
                        .isNotEmpty();
            } finally {
                probe.release.countDown();
            }

            cluster.awaitSuccess(job, JOB_TIMEOUT);
            assertThat(probe.restoredFrom).as("checkpoints the restarted job started from").first().isEqualTo(heldCheckpoint);
        }

        JobOutput files = JobOutput.readFiles(results);
        files.assertSameAs(baseline, "files");
        JobOutput.readTopics(KAFKA.bootstrapServers(), config.kafka()).assertSameAs(baseline, "topics");
    }

    /** Returns the part files that the file sink has not committed: in-progress and pending ones, hidden by a leading dot. */
    private static List<Path> hiddenPartFiles(Path sinkDir) throws IOException {
        try (Stream<Path> files = Files.walk(sinkDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().startsWith(".part-"))
                    .toList();
        }
    }
}
