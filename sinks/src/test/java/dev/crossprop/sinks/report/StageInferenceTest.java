package dev.crossprop.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sinks.records.ErrorRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StageInferenceTest {

    private static final List<Stage> EXPECTED =
            List.of(new Stage(1, "A", 0, 9), new Stage(2, "B", 10, 19), new Stage(3, "A", 20, 24));

    private static ErrorRecord record(String run, long index, String task, int examples) {
        return new ErrorRecord(run + "/l", run, "l", task, index, index + 1, 1.0, Double.NaN,
                examples, false);
    }

    private static String taskOf(long index) {
        return index < 10 || index >= 20 ? "A" : "B";
    }

    @Test
    void shuffledRecordsGiveStages() {
        List<ErrorRecord> records = new ArrayList<>();
        for (long i = 0; i < 25; i++) {
            records.add(record("r1", i, taskOf(i), 1));
        }
        Collections.shuffle(records, new Random(3));
        StageInference inference = new StageInference();

        records.forEach(inference::add);
        StageInference.Result result = inference.finish();

        assertThat(result.stages()).isEqualTo(EXPECTED);
        assertThat(result.notes()).hasSize(1);
        assertThat(result.notes().get(0)).contains("inferred from changes of the task column");
    }

    @Test
    void windowsStartAtFirstExample() {
        StageInference inference = new StageInference();

        // Windows of 5 examples end at 4, 9, ..., 24; the first covers 0-4.
        for (long i = 4; i < 25; i += 5) {
            inference.add(record("r1", i, taskOf(i), 5));
        }

        assertThat(inference.finish().stages()).isEqualTo(EXPECTED);
    }

    @Test
    void earlyEndAgreesOtherScheduleIsNoted() {
        StageInference inference = new StageInference();
        for (long i = 0; i < 25; i++) {
            inference.add(record("r1", i, taskOf(i), 1));
        }
        // r2 diverged at 12: a prefix of r1's schedule, so it agrees.
        for (long i = 0; i < 13; i++) {
            inference.add(record("r2", i, taskOf(i), 1));
        }
        // r3 changes task at 15 instead of 10.
        for (long i = 0; i < 20; i++) {
            inference.add(record("r3", i, i < 15 ? "A" : "B", 1));
        }

        StageInference.Result result = inference.finish();

        assertThat(result.stages()).isEqualTo(EXPECTED);
        assertThat(result.notes()).hasSize(2);
        assertThat(result.notes().get(1)).startsWith("Runs [r3] have a different task schedule");
    }
}
