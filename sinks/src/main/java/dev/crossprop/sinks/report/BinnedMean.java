package dev.crossprop.sinks.report;

/**
 * Weighted means of one experiment's values in fixed bins: each value counts with the number of
 * examples its record summarizes, so down-sampled and full-rate records average alike.
 */
final class BinnedMean {

    private final double[] sums;
    private final double[] weights;

    BinnedMean(int bins) {
        sums = new double[bins];
        weights = new double[bins];
    }

    void add(int bin, double value, double weight) {
        sums[bin] += value * weight;
        weights[bin] += weight;
    }

    int size() {
        return sums.length;
    }

    /** Returns the mean of a bin, or NaN when no value fell into it. */
    double mean(int bin) {
        return weights[bin] > 0 ? sums[bin] / weights[bin] : Double.NaN;
    }
}
