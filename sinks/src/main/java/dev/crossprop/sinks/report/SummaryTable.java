package dev.crossprop.sinks.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Builds the summary rows, one per learner and stage, from the aggregated sums.
 *
 * <p>Per run, the stage error is the weighted mean over the stage's last 10%; the U and W changes
 * are the norms at the stage's last record, counted only when that record lies in the stage's last
 * 10% (a run that diverged earlier in the stage has no end value). Then each value is averaged over
 * the runs that have it. A stage whose task letter appeared earlier is a revisit; it is compared
 * with the task's first stage run by run.
 */
final class SummaryTable {

    private SummaryTable() {}

    static List<SummaryRow> build(ResultsAggregator aggregator, List<LearnerInfo> learners) {
        List<Stage> stages = aggregator.layout().stages();
        List<SummaryRow> rows = new ArrayList<>();
        for (LearnerInfo learner : learners) {
            Map<String, ExperimentStats> runs = aggregator.experiments().get(learner.label());
            if (runs == null) {
                continue;
            }
            for (int s = 0; s < stages.size(); s++) {
                rows.add(row(learner, runs.values(), stages, s));
            }
        }
        return rows;
    }

    private static SummaryRow row(
            LearnerInfo learner, Collection<ExperimentStats> runs, List<Stage> stages, int s) {
        Stage stage = stages.get(s);
        int firstVisit = firstVisitOf(stages, s);
        int previous = s - 1;
        Estimate revisitMinusFirst = null;
        if (firstVisit >= 0) {
            revisitMinusFirst =
                    estimate(runs, stats -> tailError(stats, s) - tailError(stats, firstVisit));
        }
        return new SummaryRow(
                learner,
                stage,
                estimate(runs, stats -> tailError(stats, s)),
                estimate(runs, stats -> tailAccuracy(stats, s)),
                estimate(runs, stats -> endValue(stats, stages, s, stats.uChangeAtLast)),
                estimate(runs, stats -> change(stats, stages, s, previous, stats.uChangeAtLast)),
                estimate(runs, stats -> endValue(stats, stages, s, stats.wChangeAtLast)),
                estimate(runs, stats -> change(stats, stages, s, previous, stats.wChangeAtLast)),
                firstVisit >= 0 ? stages.get(firstVisit) : null,
                firstVisit >= 0 ? estimate(runs, stats -> tailError(stats, firstVisit)) : null,
                revisitMinusFirst,
                (int)
                        runs.stream()
                                .filter(stats -> stats.divergedIndex >= 0)
                                .filter(stats -> stats.divergedIndex <= stage.lastIndex())
                                .count());
    }

    /** Returns the first earlier stage with the same non-empty task letter, or -1. */
    private static int firstVisitOf(List<Stage> stages, int s) {
        String task = stages.get(s).task();
        if (task.isEmpty()) {
            return -1;
        }
        for (int earlier = 0; earlier < s; earlier++) {
            if (stages.get(earlier).task().equals(task)) {
                return earlier;
            }
        }
        return -1;
    }

    private static double tailError(ExperimentStats stats, int s) {
        double weight = stats.tailErrorWeight[s];
        return weight > 0 ? stats.tailErrorSum[s] / weight : Double.NaN;
    }

    private static double tailAccuracy(ExperimentStats stats, int s) {
        double weight = stats.tailAccuracyWeight[s];
        return weight > 0 ? stats.tailAccuracySum[s] / weight : Double.NaN;
    }

    /** Returns a norm at the stage's last record, or NaN when that record is not in the last 10%. */
    private static double endValue(
            ExperimentStats stats, List<Stage> stages, int s, double[] valueAtLast) {
        if (stats.lastNormIndex[s] < stages.get(s).tailFirstIndex()) {
            return Double.NaN;
        }
        return valueAtLast[s];
    }

    /** Returns the end value minus the previous stage's end value; U0 and W0 give 0 before stage 1. */
    private static double change(
            ExperimentStats stats, List<Stage> stages, int s, int previous, double[] valueAtLast) {
        double start = previous < 0 ? 0.0 : endValue(stats, stages, previous, valueAtLast);
        return endValue(stats, stages, s, valueAtLast) - start;
    }

    /** Averages a per-run value over the runs where it is not NaN. */
    private static Estimate estimate(
            Collection<ExperimentStats> runs, ToDoubleFunction<ExperimentStats> value) {
        double[] values = new double[runs.size()];
        int count = 0;
        for (ExperimentStats stats : runs) {
            double v = value.applyAsDouble(stats);
            if (!Double.isNaN(v)) {
                values[count++] = v;
            }
        }
        return Estimate.of(values, count);
    }
}
