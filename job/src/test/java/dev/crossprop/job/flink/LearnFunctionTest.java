package dev.crossprop.job.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.types.ExperimentKey;
import dev.crossprop.job.types.RoutedExample;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sources.Example;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** The keyed learner operator in Flink's test harness, with heap state and real snapshots. */
class LearnFunctionTest {

    private static ExperimentConfig config(String extra) {
        String yaml = String.join("\n",
                "name: harness",
                "task: {kind: live, inputs: 4, outputs: 1}",
                "network: {hidden: 6}",
                "learners:",
                "  - {kind: crossprop, step_size: 0.05, eta: 0.3}",
                "  - {kind: adam, step_size: 0.01}",
                extra,
                "");
        return ExperimentConfigLoader.parse("harness.yaml", new Yaml().load(yaml));
    }

    private static List<RoutedExample> examples(ExperimentConfig config, int count) {
        SplittableRandom random = new SplittableRandom(3);
        ExperimentPlacement placement = new ExperimentPlacement(List.of(), config.learners(), 128);
        List<RoutedExample> routed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] x = {random.nextInt(2), random.nextInt(2), random.nextInt(2), random.nextInt(2)};
            Example example = Example.regression("r1", i, "A", x, new double[] {x[0] - x[2] + random.nextDouble()});
            for (int l = 0; l < config.learners().size(); l++) {
                routed.add(new RoutedExample(placement.key("r1", l), l, example));
            }
        }
        return routed;
    }

    private static KeyedOneInputStreamOperatorTestHarness<ExperimentKey, RoutedExample, ErrorRecord> harness(
            ExperimentConfig config) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LearnFunction(config)), RoutedExample::key, ExperimentKey.typeInfo());
    }

    private static List<ErrorRecord> errors(KeyedOneInputStreamOperatorTestHarness<ExperimentKey, RoutedExample, ErrorRecord> harness) {
        return harness.extractOutputValues();
    }

    private static List<NormRecord> norms(KeyedOneInputStreamOperatorTestHarness<ExperimentKey, RoutedExample, ErrorRecord> harness) {
        ConcurrentLinkedQueue<StreamRecord<NormRecord>> output = harness.getSideOutput(LearnFunction.NORMS);
        return output.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void restoredStateContinuesBitIdentically() throws Exception {
        ExperimentConfig config = config("");
        List<RoutedExample> input = examples(config, 300);

        List<ErrorRecord> uninterrupted;
        try (var harness = harness(config)) {
            harness.open();
            for (RoutedExample routed : input) {
                harness.processElement(routed, 0);
            }
            uninterrupted = errors(harness);
        }

        List<ErrorRecord> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var first = harness(config)) {
            first.open();
            for (RoutedExample routed : input.subList(0, 250)) {
                first.processElement(routed, 0);
            }
            snapshot = first.snapshot(1, 0);
            resumed.addAll(errors(first));
        }
        try (var second = harness(config)) {
            second.initializeState(snapshot);
            second.open();
            for (RoutedExample routed : input.subList(250, input.size())) {
                second.processElement(routed, 0);
            }
            resumed.addAll(errors(second));
        }

        assertThat(resumed).hasSize(600).isEqualTo(uninterrupted);
    }

    private static ExperimentConfig generated(String learners) {
        String yaml = String.join("\n",
                "name: harness",
                "task: {kind: geoff, inputs: 4, features: 8, examples_per_task: 50, schedule: A}",
                "runs: {count: 3, first_seed: 1}",
                "network: {hidden: 6}",
                "learners:",
                learners,
                "");
        return ExperimentConfigLoader.parse("harness.yaml", new Yaml().load(yaml));
    }

    /** Snapshots a learn subtask (max parallelism 128, as in the job) after examples of every run. */
    private static OperatorSubtaskState snapshotAfterEveryRun(ExperimentConfig config) throws Exception {
        ExperimentPlacement placement = new ExperimentPlacement(config.runIds(), config.learners(), 128);
        try (var harness = keyGroupHarness(config)) {
            harness.open();
            for (String run : config.runIds()) {
                Example example = Example.regression(run, 0, "A", new double[] {1, 0, 1, 0}, new double[] {0.5});
                for (int l = 0; l < config.learners().size(); l++) {
                    harness.processElement(new RoutedExample(placement.key(run, l), l, example), 0);
                }
            }
            return harness.snapshot(1, 0);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<ExperimentKey, RoutedExample, ErrorRecord> keyGroupHarness(
            ExperimentConfig config) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LearnFunction(config)), RoutedExample::key, ExperimentKey.typeInfo(), 128, 1, 0);
    }

    @Test
    void restoreWithTheSameExperimentFileSucceeds() throws Exception {
        ExperimentConfig config = generated("  - {kind: backprop, step_size: 0.01}\n  - {kind: adam, step_size: 0.01}");
        OperatorSubtaskState snapshot = snapshotAfterEveryRun(config);

        try (var restored = keyGroupHarness(config)) {
            restored.initializeState(snapshot);
            restored.open();
        }
    }

    @Test
    void restoreWithOtherLearnersFails() throws Exception {
        ExperimentConfig before = generated("  - {kind: backprop, step_size: 0.01}\n  - {kind: adam, step_size: 0.01}");
        OperatorSubtaskState snapshot = snapshotAfterEveryRun(before);
        // Four learners instead of two change every later run's key groups.
        ExperimentConfig after = generated("  - {kind: backprop, step_size: 0.01}\n  - {kind: adam, step_size: 0.01}\n"
                + "  - {kind: momentum, step_size: 0.01}\n  - {kind: rmsprop, step_size: 0.01}");

        try (var restored = keyGroupHarness(after)) {
            assertThatThrownBy(() -> restored.initializeState(snapshot))
                    .satisfies(LearnFunctionTest::suppressesRestarts)
                    .hasStackTraceContaining("Cannot restore experiment geoff-seed-")
                    .hasStackTraceContaining("places it in key group")
                    .hasStackTraceContaining("Resume it with the experiment file it was taken with");
        }
    }

    @Test
    void restoreWithAnAddedLearnerNamesIt() throws Exception {
        ExperimentConfig before = generated("  - {kind: backprop, step_size: 0.01}\n  - {kind: adam, step_size: 0.01}");
        OperatorSubtaskState snapshot = snapshotAfterEveryRun(before);
        // Three learners keep the stride of two, so no key moves: only the new learner is missing.
        ExperimentConfig after = generated("  - {kind: backprop, step_size: 0.01}\n  - {kind: adam, step_size: 0.01}\n"
                + "  - {kind: momentum, step_size: 0.01}");

        try (var restored = keyGroupHarness(after)) {
            assertThatThrownBy(() -> restored.initializeState(snapshot))
                    .satisfies(LearnFunctionTest::suppressesRestarts)
                    .hasStackTraceContaining("learner momentum of this experiment file has no experiment in the"
                            + " checkpoint, which has [adam, backprop]");
        }
    }

    private static void suppressesRestarts(Throwable thrown) {
        assertThat(ExceptionUtils.findThrowable(thrown, SuppressRestartsException.class)).isPresent();
    }

    @Test
    void restoreWithoutTheSavedLearnerNamesTheLabels() throws Exception {
        ExperimentConfig before = generated("  - {kind: backprop, step_size: 0.01}");
        OperatorSubtaskState snapshot = snapshotAfterEveryRun(before);
        ExperimentConfig after = generated("  - {kind: adam, step_size: 0.01}");

        try (var restored = keyGroupHarness(after)) {
            assertThatThrownBy(() -> restored.initializeState(snapshot))
                    .hasStackTraceContaining("has no learner whose label ends its id (labels: [adam])");
        }
    }

    @Test
    void repeatedIndexIsNotLearnedTwice() throws Exception {
        ExperimentConfig config = config("");
        List<RoutedExample> input = examples(config, 5);
        try (var harness = harness(config)) {
            harness.open();
            for (RoutedExample routed : input) {
                harness.processElement(routed, 0);
            }
            harness.processElement(input.get(2), 0);

            assertThat(errors(harness)).hasSize(10);
            assertThat(errors(harness).get(9).step()).isEqualTo(5);
        }
    }

    @Test
    void divergedExperimentStopsAndSaysSoOnce() throws Exception {
        String yaml = String.join("\n",
                "name: harness",
                "task: {kind: live, inputs: 4, outputs: 1}",
                "network: {hidden: 6}",
                "learners:",
                "  - {kind: backprop, step_size: 1.0e6, label: huge}",
                "  - {kind: backprop, step_size: 0.01, label: small}",
                "");
        ExperimentConfig config = ExperimentConfigLoader.parse("harness.yaml", new Yaml().load(yaml));
        List<RoutedExample> input = examples(config, 200);

        try (var harness = harness(config)) {
            harness.open();
            for (RoutedExample routed : input) {
                harness.processElement(routed, 0);
            }

            List<ErrorRecord> huge = errors(harness).stream().filter(r -> r.learner().equals("huge")).collect(Collectors.toList());
            List<ErrorRecord> small = errors(harness).stream().filter(r -> r.learner().equals("small")).collect(Collectors.toList());
            assertThat(small).hasSize(200).noneMatch(ErrorRecord::diverged);
            assertThat(huge).isNotEmpty().hasSizeLessThan(200);
            assertThat(huge.subList(0, huge.size() - 1)).noneMatch(ErrorRecord::diverged);
            assertThat(huge.get(huge.size() - 1).diverged()).isTrue();
            assertThat(norms(harness).stream().filter(NormRecord::diverged).count()).isEqualTo(1);
        }
    }

    @Test
    void meanDownsamplingEmitsOneRecordPerWindow() throws Exception {
        ExperimentConfig config = config("output: {downsample: mean, downsample_n: 10}");
        List<RoutedExample> input = examples(config, 35);
        List<ErrorRecord> full;
        try (var harness = harness(config("" ))) {
            harness.open();
            for (RoutedExample routed : input) {
                harness.processElement(routed, 0);
            }
            full = errors(harness);
        }

        try (var harness = harness(config)) {
            harness.open();
            for (RoutedExample routed : input) {
                harness.processElement(routed, 0);
            }
            List<ErrorRecord> sampled = errors(harness);

            // Windows 0-9, 10-19, 20-29 close; 30-34 stays open for a live task.
            assertThat(sampled).hasSize(6);
            ErrorRecord firstWindow = sampled.get(0);
            double expected = full.stream()
                    .filter(r -> r.experiment().equals(firstWindow.experiment()) && r.index() < 10)
                    .mapToDouble(ErrorRecord::error).sum() / 10;
            assertThat(firstWindow.index()).isEqualTo(9);
            assertThat(firstWindow.examples()).isEqualTo(10);
            assertThat(firstWindow.error()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        }
    }
}
