package dev.crossprop.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.report.ExperimentStats.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks weighting, divergence and stage ends on two stages of 20 examples, bins of 10. */
class ResultsAggregatorTest {

    private static final double TOLERANCE = 1e-12;
    private static final List<Stage> STAGES =
            List.of(new Stage(1, "A", 0, 19), new Stage(2, "B", 20, 39));
    private static final LearnerInfo LEARNER =
            new LearnerInfo("crossprop-eta0", LearnerKind.CROSSPROP, false);

    private final ResultsAggregator aggregator = new ResultsAggregator(new StageLayout(STAGES, 10));

    private void error(String run, long index, double error, int examples) {
        String task = index < 20 ? "A" : "B";
        aggregator.addError(new ErrorRecord(run + "/" + LEARNER.label(), run, LEARNER.label(), task,
                index, index + 1, error, Double.NaN, examples, false));
    }

    private void norm(String run, long index, double u, double w) {
        String task = index < 20 ? "A" : "B";
        aggregator.addNorm(new NormRecord(run + "/" + LEARNER.label(), run, LEARNER.label(), task,
                index, index + 1, u, w, 1, false));
    }

    @Test
    void windowsWeightByExamples() {
        // A window of 3 examples (0-2) with mean 1.0 and one of 7 (3-9) with mean 2.0.
        error("r1", 2, 1.0, 3);
        error("r1", 9, 2.0, 7);

        Curve curve = Curve.build(aggregator, List.of(LEARNER), Metric.ERROR).get(0);

        // Weighted by examples: (3 * 1.0 + 7 * 2.0) / 10 = 1.7, not the plain mean 1.5.
        assertThat(curve.mean()[0]).isCloseTo(1.7, within(TOLERANCE));
        assertThat(curve.x()[0]).isEqualTo(4.5);
        assertThat(curve.runs()[0]).isEqualTo(1);
    }

    @Test
    void tailCoversLastTenPercent() {
        // Stage 1 has 20 examples, so its tail is ceil(20 / 10) = 2 examples: indexes 18 and 19.
        for (long i = 0; i < 20; i++) {
            error("r1", i, i, 1);
        }

        List<SummaryRow> rows = SummaryTable.build(aggregator, List.of(LEARNER));

        // Mean of errors 18 and 19 is 18.5; stage 2 has no records.
        assertThat(rows.get(0).error().mean()).isCloseTo(18.5, within(TOLERANCE));
        assertThat(rows.get(1).error().runs()).isZero();
    }

    @Test
    void divergedRecordIsLeftOut() {
        for (long i = 0; i < 40; i++) {
            error("r1", i, 1.0, 1);
        }
        for (long i = 0; i < 25; i++) {
            error("r2", i, 3.0, 1);
            norm("r2", i, 0.1 * i, 0.2 * i);
        }
        aggregator.addError(new ErrorRecord("r2/" + LEARNER.label(), "r2", LEARNER.label(), "B", 25,
                26, Double.POSITIVE_INFINITY, Double.NaN, 1, true));
        norm("r1", 39, 5.0, 6.0);

        List<SummaryRow> rows = SummaryTable.build(aggregator, List.of(LEARNER));
        Curve curve = Curve.build(aggregator, List.of(LEARNER), Metric.ERROR).get(0);

        // Stage 1: both runs, (1 + 3) / 2 = 2. Stage 2: r2 stopped at 25, before the tail (38-39).
        assertThat(rows.get(0).error().mean()).isCloseTo(2.0, within(TOLERANCE));
        assertThat(rows.get(0).divergedRuns()).isZero();
        assertThat(rows.get(1).error().mean()).isCloseTo(1.0, within(TOLERANCE));
        assertThat(rows.get(1).error().runs()).isEqualTo(1);
        assertThat(rows.get(1).divergedRuns()).isEqualTo(1);
        // r2's last norm record in stage 2 is at 24, outside the tail, so only r1's counts.
        assertThat(rows.get(1).uChangeEnd().mean()).isEqualTo(5.0);
        assertThat(rows.get(1).uChangeEnd().runs()).isEqualTo(1);
        // Bin 2 (20-29) still averages both runs: r2 has indexes 20-24 there, and the infinite
        // error at 25 is not part of it. Bin 3 (30-39) has r1 only.
        assertThat(curve.mean()[2]).isCloseTo(2.0, within(TOLERANCE));
        assertThat(curve.runs()[3]).isEqualTo(1);
        assertThat(aggregator.divergences())
                .containsExactly(new ResultsAggregator.Divergence(LEARNER.label(), "r2", 25));
    }

    @Test
    void stageEndTakesHighestIndex() {
        // Part files need not be in index order, so the later index wins, not the later record.
        norm("r1", 19, 2.0, 4.0);
        norm("r1", 18, 1.0, 3.0);
        norm("r1", 39, 7.0, 5.0);
        norm("r1", 38, 9.0, 9.0);

        List<SummaryRow> rows = SummaryTable.build(aggregator, List.of(LEARNER));

        assertThat(rows.get(0).uChangeEnd().mean()).isEqualTo(2.0);
        assertThat(rows.get(0).wChangeEnd().mean()).isEqualTo(4.0);
        // During stage 2: 7 - 2 = 5 for U, 5 - 4 = 1 for W.
        assertThat(rows.get(1).uChangeDuring().mean()).isCloseTo(5.0, within(TOLERANCE));
        assertThat(rows.get(1).wChangeDuring().mean()).isCloseTo(1.0, within(TOLERANCE));
    }

    @Test
    void indexOutsideStagesIsCounted() {
        error("r1", 40, 1.0, 1);
        norm("r1", 41, 1.0, 1.0);

        assertThat(aggregator.outsideStages()).isEqualTo(2);
        assertThat(aggregator.errorRecords()).isEqualTo(1);
        assertThat(aggregator.normRecords()).isEqualTo(1);
    }

    @Test
    void accuracyMarksClassification() {
        aggregator.addError(new ErrorRecord("r1/" + LEARNER.label(), "r1", LEARNER.label(), "A", 19,
                20, 0.5, 1.0, 1, false));
        aggregator.addError(new ErrorRecord("r1/" + LEARNER.label(), "r1", LEARNER.label(), "A", 18,
                19, 0.7, 0.0, 1, false));

        List<SummaryRow> rows = SummaryTable.build(aggregator, List.of(LEARNER));

        assertThat(aggregator.sawClassification()).isTrue();
        // Both records are in the tail (18-19): accuracy (1 + 0) / 2.
        assertThat(rows.get(0).accuracy().mean()).isCloseTo(0.5, within(TOLERANCE));
    }
}
