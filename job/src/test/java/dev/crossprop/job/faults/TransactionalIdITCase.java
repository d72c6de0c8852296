package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two jobs with different names on one broker at the same time. Their sinks' transactional ids
 * start with the job name, so neither aborts or fences the other's transactions: both run
 * without a restart and both write the {@link Baseline}'s records. Given the same name, the two
 * jobs fence each other's producers ("attempted to produce with an old epoch") and fail over and
 * over, which this test reports as a timeout.
 */
class TransactionalIdITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String TOPIC = "transactional-id-examples";

    private static final List<String> JOBS = List.of("fencing-left", "fencing-right");

    /** Pause per example; each job then reads for at least 2.7 s, long enough to overlap. */
    private static final long SLEEP_MILLIS = 3;

    @AfterEach
    void removeProbes() {
        JOBS.forEach(Probe::remove);
    }

    @Test
    void jobsWithDifferentNamesDoNotFenceEachOther(@TempDir Path dir) throws Exception {
        JobOutput baseline = Baseline.output();
        ExperimentConfig input = FaultExperiment.config("fencing", TOPIC, 1);
        FaultExperiment.createTopics(KAFKA.bootstrapServers(), input);
        FaultExperiment.produce(KAFKA.bootstrapServers(), TOPIC, FaultExperiment.interleavedExamples(input));

        try (TestCluster cluster = TestCluster.start()) {
            JobID[] jobs = new JobID[JOBS.size()];
            for (int i = 0; i < JOBS.size(); i++) {
                String name = JOBS.get(i);
                Probe.create(name);
                ExperimentConfig config = FaultExperiment.config(name, TOPIC, 1);
                FaultExperiment.createOutputTopics(KAFKA.bootstrapServers(), config);
                jobs[i] = cluster.submit(FaultJobs.probed(config,
                        FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve(name), name),
                        dir.resolve("checkpoints"), new ProbeMap(name, SLEEP_MILLIS, ProbeMap.NEVER)));
            }
            // Both jobs read at the same time: each has started before either has read all its input.
            Probe left = Probe.get(JOBS.get(0));
            Probe right = Probe.get(JOBS.get(1));
            TestCluster.awaitCondition(() -> left.records.get() > 0 && right.records.get() > 0,
                    Duration.ofMinutes(2), "both jobs to read examples");
            assertThat(Math.min(left.records.get(), right.records.get())).as("examples read when both had started")
                    .isLessThan((long) FaultExperiment.RUNS * FaultExperiment.EXAMPLES_PER_RUN);
            for (JobID job : jobs) {
                cluster.awaitSuccess(job, Duration.ofMinutes(3));
            }
        }

        for (String name : JOBS) {
            assertThat(Probe.get(name).instances.get()).as("probe instances of %s: one, so no restart", name).isEqualTo(1);
            ExperimentConfig config = FaultExperiment.config(name, TOPIC, 1);
            JobOutput.readTopics(KAFKA.bootstrapServers(), config.kafka()).assertSameAs(baseline, name + " topics");
        }
    }
}
