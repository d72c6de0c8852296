package dev.crossprop.sinks.report;

import dev.crossprop.sinks.report.ExperimentStats.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One learner's learning curve: per bin, the mean over runs of the per-run bin means, with its
 * standard error. Bins that no run reached are left out.
 *
 * @param learner the learner
 * @param x bin centres, in example indexes
 * @param mean mean over runs
 * @param standardError standard error over runs, NaN where only one run has a value
 * @param runs number of runs with a value in the bin
 */
record Curve(LearnerInfo learner, double[] x, double[] mean, double[] standardError, int[] runs) {

    /** Returns the number of points. */
    int size() {
        return x.length;
    }

    /** Builds one curve per learner that has values of the metric, in the order of {@code learners}. */
    static List<Curve> build(
            ResultsAggregator aggregator, List<LearnerInfo> learners, Metric metric) {
        StageLayout layout = aggregator.layout();
        List<Curve> curves = new ArrayList<>();
        for (LearnerInfo learner : learners) {
            Map<String, ExperimentStats> runs = aggregator.experiments().get(learner.label());
            if (runs == null) {
                continue;
            }
            List<BinnedMean> series = new ArrayList<>();
            for (ExperimentStats stats : runs.values()) {
                BinnedMean bins = stats.existing(metric);
                if (bins != null) {
                    series.add(bins);
                }
            }
            if (series.isEmpty()) {
                continue;
            }
            curves.add(average(learner, series, layout));
        }
        return curves;
    }

    private static Curve average(LearnerInfo learner, List<BinnedMean> series, StageLayout layout) {
        int bins = layout.binCount();
        double[] x = new double[bins];
        double[] mean = new double[bins];
        double[] standardError = new double[bins];
        int[] runs = new int[bins];
        double[] values = new double[series.size()];
        int points = 0;
        for (int bin = 0; bin < bins; bin++) {
            int count = 0;
            for (BinnedMean run : series) {
                double value = run.mean(bin);
                if (!Double.isNaN(value)) {
                    values[count++] = value;
                }
            }
            if (count == 0) {
                continue;
            }
            Estimate estimate = Estimate.of(values, count);
            x[points] = layout.binCenter(bin);
            mean[points] = estimate.mean();
            standardError[points] = estimate.standardError();
            runs[points] = count;
            points++;
        }
        return new Curve(
                learner,
                Arrays.copyOf(x, points),
                Arrays.copyOf(mean, points),
                Arrays.copyOf(standardError, points),
                Arrays.copyOf(runs, points));
    }
}
