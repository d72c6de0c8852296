package dev.crossprop.sinks.report;

import java.util.Arrays;

/**
 * Running sums of one experiment (a run and learner pair): binned curves of the error, accuracy and
 * weight changes, and per stage the error over the stage's last 10% and the weight changes at the
 * stage's last record. Memory is fixed by the number of bins and stages, not by the rows read.
 */
final class ExperimentStats {

    private final int bins;
    private BinnedMean error;
    private BinnedMean accuracy;
    private BinnedMean uChange;
    private BinnedMean wChange;

    final double[] tailErrorSum;
    final double[] tailErrorWeight;
    final double[] tailAccuracySum;
    final double[] tailAccuracyWeight;

    /** Index of the last weight-norm record seen in each stage, -1 before any. */
    final long[] lastNormIndex;

    final double[] uChangeAtLast;
    final double[] wChangeAtLast;

    /** Example index at which the learner diverged, -1 if it did not. */
    long divergedIndex = -1;

    ExperimentStats(int bins, int stages) {
        this.bins = bins;
        tailErrorSum = new double[stages];
        tailErrorWeight = new double[stages];
        tailAccuracySum = new double[stages];
        tailAccuracyWeight = new double[stages];
        lastNormIndex = new long[stages];
        Arrays.fill(lastNormIndex, -1);
        uChangeAtLast = new double[stages];
        wChangeAtLast = new double[stages];
    }

    /** Returns the error bins, created on first use so that experiments without rows stay small. */
    BinnedMean error() {
        if (error == null) {
            error = new BinnedMean(bins);
        }
        return error;
    }

    BinnedMean accuracy() {
        if (accuracy == null) {
            accuracy = new BinnedMean(bins);
        }
        return accuracy;
    }

    BinnedMean uChange() {
        if (uChange == null) {
            uChange = new BinnedMean(bins);
        }
        return uChange;
    }

    BinnedMean wChange() {
        if (wChange == null) {
            wChange = new BinnedMean(bins);
        }
        return wChange;
    }

    /** Returns the named bins without creating them, or null when no value was added. */
    BinnedMean existing(Metric metric) {
        return switch (metric) {
            case ERROR -> error;
            case ACCURACY -> accuracy;
            case U_CHANGE -> uChange;
            case W_CHANGE -> wChange;
        };
    }

    /** The values that the report draws as curves. */
    enum Metric {
        ERROR,
        ACCURACY,
        U_CHANGE,
        W_CHANGE
    }
}
