package dev.crossprop.job.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.types.DeadLetter;
import dev.crossprop.job.types.RawExample;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** The keyed parse step in Flink's test harness: order checks per run, dead letters, restore. */
class ParseExamplesFunctionTest {

    private static final ExperimentConfig CONFIG = ExperimentConfigLoader.parse("harness.yaml", new Yaml().load(String.join("\n",
            "name: harness",
            "task: {kind: live, inputs: 2, outputs: 1}",
            "learners:",
            "  - {kind: backprop, step_size: 0.01}",
            "")));

    private long nextOffset;

    private RawExample raw(String key, byte[] value) {
        return new RawExample("examples", 0, nextOffset++, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private RawExample example(String key, String run, long index, WireFormat format) {
        Example example = Example.regression(run, index, "A", new double[] {1.0, -index}, new double[] {0.5});
        return raw(key, ExampleCodec.encode(example, format));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RawExample, Example> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ParseExamplesFunction(CONFIG.task())), RawExample::keyText, Types.STRING);
    }

    private static List<Long> learnedIndexes(KeyedOneInputStreamOperatorTestHarness<String, RawExample, Example> harness) {
        return harness.extractOutputValues().stream().map(Example::index).collect(Collectors.toList());
    }

    private static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, RawExample, Example> harness) {
        return harness.getSideOutput(ParseExamplesFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void repeatedIndexesAreDeadLetters() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(example("r1", "r1", 0, WireFormat.BINARY), 0);
            harness.processElement(example("r1", "r1", 1, WireFormat.JSON), 0);
            harness.processElement(example("r1", "r1", 1, WireFormat.BINARY), 0);
            harness.processElement(example("r1", "r1", 3, WireFormat.BINARY), 0);
            harness.processElement(example("r1", "r1", 2, WireFormat.BINARY), 0);
            // Another run under its own key keeps its own count.
            harness.processElement(example("r2", "r2", 0, WireFormat.BINARY), 0);

            assertThat(learnedIndexes(harness)).containsExactly(0L, 1L, 3L, 0L);
            List<DeadLetter> letters = deadLetters(harness);
            assertThat(letters).extracting(DeadLetter::reason).containsExactly("duplicate-index", "out-of-order-index");
            assertThat(letters).extracting(DeadLetter::run).containsOnly("r1");
            assertThat(letters).extracting(DeadLetter::index).containsExactly(1L, 2L);
            assertThat(letters).extracting(DeadLetter::offset).containsExactly(2L, 4L);
            assertThat(letters.get(1).message()).contains("index 2 of run 'r1' arrived after index 3");
        }
    }

    @Test
    void invalidRecordsAreDeadLetters() throws Exception {
        try (var harness = harness()) {
            harness.open();
            byte[] notJson = "{\"run\": ".getBytes(StandardCharsets.UTF_8);
            harness.processElement(raw("r1", notJson), 0);
            Example threeInputs = Example.regression("r1", 0, "A", new double[] {1, 2, 3}, new double[] {0.5});
            harness.processElement(raw("r1", ExampleCodec.encode(threeInputs, WireFormat.JSON)), 0);
            harness.processElement(example("r1", "r1", 0, WireFormat.JSON), 0);

            assertThat(learnedIndexes(harness)).containsExactly(0L);
            List<DeadLetter> letters = deadLetters(harness);
            assertThat(letters).extracting(DeadLetter::reason).containsExactly("not-json", "wrong-input-count");
            assertThat(letters.get(0).run()).isNull();
            assertThat(letters.get(0).index()).isEqualTo(-1);
            assertThat(letters.get(0).value()).isEqualTo(notJson);
            assertThat(letters.get(1).run()).isEqualTo("r1");
            assertThat(letters.get(1).index()).isZero();
        }
    }

    @Test
    void suppressedWarningsAreReportedWhenTheIntervalEnds() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.setProcessingTime(1_000);
            byte[] empty = new byte[0];

            // The first dead letter is logged at once; the next one within 10 s waits for a timer.
            harness.processElement(raw("r1", empty), 0);
            assertThat(harness.numProcessingTimeTimers()).isZero();
            harness.processElement(raw("r1", empty), 0);
            harness.processElement(raw("r2", empty), 0);
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

            harness.setProcessingTime(11_000);
            assertThat(harness.numProcessingTimeTimers()).isZero();
            assertThat(deadLetters(harness)).hasSize(3);
        }
    }

    @Test
    void restoredLastIndexesStillCatchRepeats() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            for (long i = 0; i < 5; i++) {
                harness.processElement(example("r1", "r1", i, WireFormat.BINARY), 0);
            }
            snapshot = harness.snapshot(1, 1);
        }

        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(example("r1", "r1", 4, WireFormat.BINARY), 0);
            restored.processElement(example("r1", "r1", 5, WireFormat.BINARY), 0);

            assertThat(learnedIndexes(restored)).containsExactly(5L);
            assertThat(deadLetters(restored)).extracting(DeadLetter::reason).containsExactly("duplicate-index");
        }
    }

    @Test
    void keysOtherThanRunAreCheckedPerKey() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(example("producer-a", "r1", 0, WireFormat.BINARY), 0);
            harness.processElement(example("producer-b", "r1", 0, WireFormat.BINARY), 0);
            harness.processElement(example("producer-a", "r1", 0, WireFormat.BINARY), 0);

            // The second key has its own last index, so only the repeat under the first key is caught here;
            // the learner operator skips the other.
            assertThat(learnedIndexes(harness)).containsExactly(0L, 0L);
            assertThat(deadLetters(harness)).extracting(DeadLetter::reason).containsExactly("duplicate-index");
        }
    }
}
