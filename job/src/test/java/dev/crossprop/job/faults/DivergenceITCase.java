package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

/**
 * A learner with a huge step size through Kafka, end to end: its weights become non-finite, it
 * stops, and its records in the output topics mark the example where it happened (one record with
 * diverged set, then none), while the other learners of the same runs produce the {@link Baseline}'s records.
 * Every record of every output topic must be strict JSON, without NaN or Infinity tokens.
 */
class DivergenceITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String NAME = "divergence";

    /** A step size of a million drives backprop's weights to infinity within a few examples. */
    private static final String HUGE_LEARNER = "  - {kind: backprop, step_size: 1.0e6, label: huge}";

    @Test
    void divergedLearnerStopsAndOthersContinue(@TempDir Path dir) throws Exception {
        JobOutput baseline = Baseline.output();
        ExperimentConfig config = FaultExperiment.config(NAME, NAME + "-examples", 2, HUGE_LEARNER);
        FaultExperiment.createTopics(KAFKA.bootstrapServers(), config);
        FaultExperiment.produce(KAFKA.bootstrapServers(), config.kafka().topic(), FaultExperiment.interleavedExamples(config));

        try (TestCluster cluster = TestCluster.start()) {
            JobID job = cluster.submit(FaultJobs.plain(config,
                    FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("results"), NAME), dir.resolve("checkpoints")));
            cluster.awaitSuccess(job, Duration.ofMinutes(3));
        }
        JobOutput topics = JobOutput.readTopics(KAFKA.bootstrapServers(), config.kafka());

        for (String run : config.runIds()) {
            String experiment = run + "/huge";
            List<ErrorRecord> errors = topics.errors().stream()
                    .filter(r -> r.experiment().equals(experiment))
                    .sorted(Comparator.comparingLong(ErrorRecord::index))
                    .toList();
            List<NormRecord> norms = topics.norms().stream()
                    .filter(r -> r.experiment().equals(experiment))
                    .sorted(Comparator.comparingLong(NormRecord::index))
                    .toList();

            assertThat(errors).as("%s error records", experiment)
                    .isNotEmpty()
                    .hasSizeLessThan(FaultExperiment.EXAMPLES_PER_RUN)
                    .hasSameSizeAs(norms);
            assertThat(errors).extracting(ErrorRecord::index).as("%s indexes", experiment)
                    .containsExactlyElementsOf(LongStream.range(0, errors.size()).boxed().toList());
            assertThat(errors.get(errors.size() - 1).diverged()).as("%s last record diverged", experiment).isTrue();
            assertThat(errors.subList(0, errors.size() - 1)).as("%s records before the divergence", experiment)
                    .noneMatch(ErrorRecord::diverged);
            assertThat(norms.get(norms.size() - 1).diverged()).as("%s last norm record diverged", experiment).isTrue();
            assertThat(norms.stream().filter(NormRecord::diverged).count()).as("%s diverged norm records", experiment)
                    .isEqualTo(1);
        }

        JobOutput others = new JobOutput(
                topics.errors().stream().filter(r -> !r.learner().equals("huge")).toList(),
                topics.norms().stream().filter(r -> !r.learner().equals("huge")).toList(),
                topics.aggregates().stream().filter(a -> !a.learner().equals("huge")).toList(),
                topics.deadLetters());
        others.assertSameAs(baseline, "topics of the other learners");
    }
}
