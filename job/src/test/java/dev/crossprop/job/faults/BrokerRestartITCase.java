package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.JobOptions;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.sources.kafka.KafkaBrokerProcess;

import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The Kafka broker killed in the middle of a run and restarted on the same data after an outage
 * of a few seconds. Whether the job only stalls or fails and restarts from its last checkpoint,
 * the files and a read-committed consumer of the topics must afterwards hold the
 * {@link Baseline}'s records, each once and bit for bit.
 */
class BrokerRestartITCase {

    private static final String NAME = "broker-restart";

    private static final long EXAMPLES = (long) FaultExperiment.RUNS * FaultExperiment.EXAMPLES_PER_RUN;

    /** Pause per example in the probe; 900 examples then take at least 2 s at parallelism 2. */
    private static final long SLEEP_MILLIS = 5;

    /** How long the broker stays down: longer than the 300 ms checkpoint interval, shorter than any client timeout. */
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @AfterEach
    void removeProbe() {
        Probe.remove(NAME);
    }

    @Test
    void restartedBrokerIsRecovered(@TempDir Path dir) throws Exception {
        JobOutput baseline = Baseline.output();
        Probe probe = Probe.create(NAME);
        ExperimentConfig config = FaultExperiment.config(NAME, NAME + "-examples", 2);

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("broker"));
                TestCluster cluster = TestCluster.start()) {
            String servers = broker.bootstrapServers();
            FaultExperiment.createTopics(servers, config);
            FaultExperiment.produce(servers, config.kafka().topic(), FaultExperiment.interleavedExamples(config));
            JobOptions options = FaultJobs.options(servers, dir.resolve("results"), NAME);

            // The source is held back after a third of the examples, once a checkpoint has
            // completed, until the broker is down, so the broker is lost in the middle of the input.
            JobID job = cluster.submit(FaultJobs.probed(config, options, dir.resolve("checkpoints"),
                    new ProbeMap(NAME, SLEEP_MILLIS, ProbeMap.NEVER, EXAMPLES / 3)));
            TestCluster.awaitCondition(() -> probe.blocked.getCount() == 0 || cluster.hasEnded(job), TIMEOUT,
                    "the source to be held after a third of the examples and a completed checkpoint");
            assertThat(probe.blocked.getCount()).as("source held before the job ended").isZero();
            long examplesAtKill = probe.records.get();
            int checkpointsAtKill = probe.completedCheckpoints.size();
            try {
                broker.stop();
            } finally {
                probe.release.countDown();
            }
            Thread.sleep(OUTAGE.toMillis());
            broker.restart();

            cluster.awaitSuccess(job, TIMEOUT);

            assertThat(examplesAtKill).as("examples passed when the broker was killed").isLessThan(EXAMPLES);
            assertThat(checkpointsAtKill).as("checkpoints completed before the broker was killed").isPositive();
            JobOutput files = JobOutput.readFiles(dir.resolve("results"));
            files.assertSameAs(baseline, "files");
            JobOutput.readTopics(servers, config.kafka()).assertSameAs(baseline, "topics");
        }
    }
}
