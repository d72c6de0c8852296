package dev.crossprop.sinks.report;

/**
 * The mean of per-run values with its standard error: the sample standard deviation (divisor
 * {@code n - 1}) over {@code sqrt(n)}.
 *
 * @param mean mean over the runs, NaN when there are none
 * @param standardError standard error of the mean, NaN with fewer than two runs
 * @param runs number of runs that contributed a value
 */
record Estimate(double mean, double standardError, int runs) {

    static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, 0);

    /** Estimates from the first {@code count} entries of {@code values}. */
    static Estimate of(double[] values, int count) {
        if (count == 0) {
            return NONE;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        double mean = sum / count;
        if (count < 2) {
            return new Estimate(mean, Double.NaN, 1);
        }
        // Two passes, because the one-pass formula loses digits when the mean is large.
        double squares = 0;
        for (int i = 0; i < count; i++) {
            double deviation = values[i] - mean;
            squares += deviation * deviation;
        }
        return new Estimate(mean, Math.sqrt(squares / (count - 1)) / Math.sqrt(count), count);
    }
}
