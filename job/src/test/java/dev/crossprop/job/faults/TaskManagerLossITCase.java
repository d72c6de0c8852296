package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.JobOptions;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.flink.LearnFunction;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A TaskManager lost in the middle of a run. A mini cluster with two TaskManagers of two slots
 * runs the job at parallelism 2 spread over both, one of them is terminated, and the job restarts
 * from its last checkpoint in the slots of the other. The files and a read-committed consumer of
 * the topics must then hold the {@link Baseline}'s records, each once and bit for bit.
 */
class TaskManagerLossITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String NAME = "taskmanager-loss";

    private static final long EXAMPLES = (long) FaultExperiment.RUNS * FaultExperiment.EXAMPLES_PER_RUN;

    /** Pause per example in the probe; 900 examples then take at least 2 s at parallelism 2. */
    private static final long SLEEP_MILLIS = 5;

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @AfterEach
    void removeProbe() {
        Probe.remove(NAME);
    }

    @Test
    void lostTaskManagerIsRecovered(@TempDir Path dir) throws Exception {
        JobOutput baseline = Baseline.output();
        Probe probe = Probe.create(NAME);
        ExperimentConfig config = FaultExperiment.config(NAME, NAME + "-examples", 2);
        FaultExperiment.createTopics(KAFKA.bootstrapServers(), config);
        FaultExperiment.produce(KAFKA.bootstrapServers(), config.kafka().topic(), FaultExperiment.interleavedExamples(config));
        JobOptions options = FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("results"), NAME);
        // Spread the slots over the TaskManagers, so that either one runs part of the job.
        Configuration spread = new Configuration();
        spread.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);

        long examplesAtLoss;
        try (TestCluster cluster = TestCluster.start(2, 2, spread);
                LogCapture learnerLog = LogCapture.of(LearnFunction.class)) {
            JobID job = cluster.submit(FaultJobs.probed(config, options, dir.resolve("checkpoints"),
                    new ProbeMap(NAME, SLEEP_MILLIS, ProbeMap.NEVER)));

            // A third of the examples in, from every run (the source reads whole fetches per
            // partition, so a run can start late), and a checkpoint taken after that, which
            // contains every experiment.
            TestCluster.awaitCondition(
                    () -> probe.records.get() >= EXAMPLES / 3 && probe.runs.size() == FaultExperiment.RUNS,
                    TIMEOUT, "a third of the examples, from every run");
            int checkpointsSoFar = probe.completedCheckpoints.size();
            TestCluster.awaitCondition(() -> probe.completedCheckpoints.size() > checkpointsSoFar, TIMEOUT,
                    "a checkpoint after a third of the examples");
            assertThat(cluster.taskManagersOf(job)).as("TaskManagers running the job").hasSize(2);
            examplesAtLoss = probe.records.get();
            cluster.terminateTaskManager(0, TIMEOUT);

            cluster.awaitSuccess(job, TIMEOUT);
            // Every experiment (3 runs x 3 learners) was in the restored checkpoint.
            int experiments = FaultExperiment.RUNS * FaultExperiment.LEARNERS;
            assertThat(learnerLog.restoredExperimentTotals()).as("experiments in the restored checkpoints")
                    .containsExactly(experiments);
            assertThat(learnerLog.restoredExperimentsByCheckpoint()).as("experiments restored per checkpoint")
                    .isNotEmpty()
                    .allSatisfy((checkpoint, restored) -> assertThat(restored).isEqualTo(experiments));
        }

        assertThat(examplesAtLoss).as("examples passed when the TaskManager was lost").isLessThan(EXAMPLES);
        assertThat(probe.restoredFrom).as("checkpoints the restarted probes started from").isNotEmpty();
        JobOutput files = JobOutput.readFiles(dir.resolve("results"));
        files.assertSameAs(baseline, "files");
        JobOutput.readTopics(KAFKA.bootstrapServers(), config.kafka()).assertSameAs(baseline, "topics");
    }
}
