package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.JobOptions;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.flink.LearnFunction;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Stop with a savepoint in the middle of a run and resume from it at another parallelism, 2 to 1
 * and 1 to 2. The bounded Kafka source resumes from its savepointed offsets, the learners'
 * keyed state moves by key group, and the output of the two jobs together must be the
 * {@link Baseline}'s records, each once and bit for bit, in the files and in the topics.
 */
class SavepointRescaleITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String TOPIC = "savepoint-examples";

    private static final long EXAMPLES = (long) FaultExperiment.RUNS * FaultExperiment.EXAMPLES_PER_RUN;

    /** Pause per example in the probe; 900 examples then take at least 2 s at parallelism 2. */
    private static final long SLEEP_MILLIS = 5;

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private String probeName;

    @BeforeAll
    static void produceExamples() {
        ExperimentConfig config = FaultExperiment.config("savepoint", TOPIC, 1);
        FaultExperiment.createTopics(KAFKA.bootstrapServers(), config);
        FaultExperiment.produce(KAFKA.bootstrapServers(), TOPIC, FaultExperiment.interleavedExamples(config));
    }

    @AfterEach
    void removeProbe() {
        Probe.remove(probeName);
    }

    @Test
    void resumeAtLowerParallelism(@TempDir Path dir) throws Exception {
        stopAndResume(dir, "savepoint-2-to-1", 2, 1);
    }

    @Test
    void resumeAtHigherParallelism(@TempDir Path dir) throws Exception {
        stopAndResume(dir, "savepoint-1-to-2", 1, 2);
    }

    private void stopAndResume(Path dir, String name, int before, int after) throws Exception {
        JobOutput baseline = Baseline.output();
        probeName = name;
        Probe probe = Probe.create(name);
        ExperimentConfig first = FaultExperiment.config(name, TOPIC, before);
        FaultExperiment.createOutputTopics(KAFKA.bootstrapServers(), first);
        // The resumed job keeps the name, and so the sinks' transactional id prefixes, as a user would.
        JobOptions options = FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("results"), name);

        try (TestCluster cluster = TestCluster.start(); LogCapture learnerLog = LogCapture.of(LearnFunction.class)) {
            JobID firstJob = cluster.submit(FaultJobs.probed(first, options, dir.resolve("checkpoints"),
                    new ProbeMap(name, SLEEP_MILLIS, ProbeMap.NEVER)));
            // The source reads whole fetches per partition, so a run can start well after the
            // others. The stop therefore also waits until every run has started.
            TestCluster.awaitCondition(
                    () -> probe.records.get() >= EXAMPLES / 3 && probe.runs.size() == FaultExperiment.RUNS,
                    TIMEOUT, "a third of the examples, from every run");
            String savepoint = cluster.stopWithSavepoint(firstJob, dir.resolve("savepoints"), TIMEOUT);
            long examplesAtStop = probe.records.get();
            cluster.awaitSuccess(firstJob, TIMEOUT);

            assertThat(examplesAtStop).as("examples passed when the job stopped").isLessThan(EXAMPLES);
            int stoppedRecords = JobOutput.readFiles(dir.resolve("results")).errors().size();
            assertThat(stoppedRecords).as("error rows written before the stop").isBetween(1, FaultExperiment.RECORDS - 1);

            ExperimentConfig second = FaultExperiment.config(name, TOPIC, after);
            JobID secondJob = cluster.submit(FaultJobs.restoredFrom(
                    FaultJobs.probed(second, options, dir.resolve("checkpoints"), new ProbeMap(name, 0, ProbeMap.NEVER)),
                    savepoint));
            cluster.awaitSuccess(secondJob, TIMEOUT);

            // Every experiment (3 runs x 3 learners) had started before the stop, and all moved.
            int experiments = FaultExperiment.RUNS * FaultExperiment.LEARNERS;
            Map<Long, Integer> restored = learnerLog.restoredExperimentsByCheckpoint();
            assertThat(restored).as("experiments restored per checkpoint").hasSize(1);
            assertThat(restored.values()).as("experiments restored from the savepoint").containsExactly(experiments);
            assertThat(learnerLog.restoredExperimentTotals()).containsExactly(experiments);
            assertThat(probe.restoredFrom).as("checkpoint ids that the resumed probes started from")
                    .hasSize(after)
                    .containsOnly(restored.keySet().iterator().next());
        }

        JobOutput files = JobOutput.readFiles(dir.resolve("results"));
        files.assertSameAs(baseline, "files");
        JobOutput.readTopics(KAFKA.bootstrapServers(), first.kafka()).assertSameAs(baseline, "topics");
    }
}
