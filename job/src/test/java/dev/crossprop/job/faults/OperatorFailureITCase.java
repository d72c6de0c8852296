package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crossprop.job.CrosspropJob;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        JobOptions options = FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("results"), probeName);
        // Hold back the first checkpoint after a third of the error records.
        long holdAfterRecords = FaultExperiment.RECORDS / 3;
        JobGraph graph = FaultJobs.graph(config, options, dir.resolve("checkpoints"),
                FaultJobs.withProbe(new ProbeMap(probeName, SLEEP_MILLIS, ProbeMap.NEVER)),
                streams -> new CrosspropJob.Streams(
                        streams.errors().map(new FailBeforeCommitMap(probeName, holdAfterRecords), streams.errors().getType())
                                .uid("fail-before-commit").name("fail before commit"),
                        streams.norms(), streams.aggregates(), streams.deadLetters()));

        boolean commitWasPending;
        long heldCheckpoint;
        try (TestCluster cluster = TestCluster.start()) {
            JobID job = cluster.submit(graph);
            try {
                Probe.await(probe.blocked, JOB_TIMEOUT, "the learner task to block after a completed checkpoint");

                // Checkpoint N has completed, and the learner task is blocked in its
                // notification. The sinks' committer runs in another task, so it may commit N
                // before the block takes hold; then this run did not catch the window.
                heldCheckpoint = probe.heldCheckpoint.get();
                long writtenBeforeHeld = probe.recordsBeforeCheckpoint.get();
                List<byte[]> committed = JobOutput.readCommitted(KAFKA.bootstrapServers(), config.kafka().errorsTopic());
                int visibleRows = JobOutput.readFiles(dir.resolve("results")).errors().size();
                commitWasPending = committed.size() < writtenBeforeHeld && visibleRows < writtenBeforeHeld;
            } finally {
                probe.release.countDown();
            }

            cluster.awaitSuccess(job, JOB_TIMEOUT);
            assertThat(probe.restoredFrom).as("checkpoints the restarted job started from").contains(heldCheckpoint);
        }

        JobOutput files = JobOutput.readFiles(dir.resolve("results"));
        files.assertSameAs(baseline, "files");
        JobOutput.readTopics(KAFKA.bootstrapServers(), config.kafka()).assertSameAs(baseline, "topics");
        // The output is exactly-once either way. When the committer won the race, the run did
        // not exercise a pending commit, so it is reported as skipped.
        assumeTrue(commitWasPending, "the committer committed checkpoint " + heldCheckpoint
                + " before the failure; the pending-commit case was not exercised in this run");
    }
}
