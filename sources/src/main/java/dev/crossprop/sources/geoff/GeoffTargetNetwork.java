package dev.crossprop.sources.geoff;

import java.util.SplittableRandom;

/**
 * The fixed first layer of a GEOFF target network: input weights U* in {-1, +1} and the thresholds
 * of n linear threshold units.
 *
 * <p>U* has m + 1 rows: row i < m belongs to input i, and row m to the bias input, which is fixed
 * at 1 and not sent to learners. The threshold of unit j is {@code (m + 1) * beta - S_j}, where S_j
 * counts the -1 entries in column j. Unit j fires (feature value 1) when {@code sum_i x_i u*_ij},
 * bias row included, exceeds its threshold, and is 0 otherwise. The output weights W* change with
 * the task and are passed in; W* has n + 1 entries, the last for a bias feature fixed at 1.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class GeoffTargetNetwork {

    private final int inputs;
    private final int features;
    // Row-major: inputWeights[i * features + j] = u*_ij, so one input's row is contiguous and
    // the hidden sums add whole rows for the inputs that are 1.
    private final byte[] inputWeights;
    private final int[] negativeCounts;
    private final double[] thresholds;
    // floor(threshold_j): for an integer sum, sum > threshold_j exactly when sum > floor(...),
    // which allows a branch-free comparison in the hot loop.
    private final int[] floorThresholds;
    // For m <= 63: bit i of positiveMasks[j] is set when u*_ij = +1 (i < m). The sum over the
    // inputs is then 2 * bitCount(xBits & mask) - bitCount(xBits), one popcount per unit in
    // place of m additions. Null for larger m.
    private final long[] positiveMasks;

    private GeoffTargetNetwork(int inputs, int features, byte[] inputWeights, double beta) {
        this.inputs = inputs;
        this.features = features;
        this.inputWeights = inputWeights;
        this.negativeCounts = new int[features];
        this.thresholds = new double[features];
        for (int i = 0; i <= inputs; i++) {
            for (int j = 0; j < features; j++) {
                if (inputWeights[i * features + j] < 0) {
                    negativeCounts[j]++;
                }
            }
        }
        this.floorThresholds = new int[features];
        for (int j = 0; j < features; j++) {
            thresholds[j] = (inputs + 1) * beta - negativeCounts[j];
            floorThresholds[j] = (int) Math.floor(thresholds[j]);
        }
        this.positiveMasks =
                inputs < Long.SIZE ? positiveMasks(inputs, features, inputWeights) : null;
    }

    private static long[] positiveMasks(int inputs, int features, byte[] inputWeights) {
        long[] masks = new long[features];
        for (int i = 0; i < inputs; i++) {
            for (int j = 0; j < features; j++) {
                if (inputWeights[i * features + j] > 0) {
                    masks[j] |= 1L << i;
                }
            }
        }
        return masks;
    }

    /**
     * Draws U* from the stream: (m + 1) * n values in row-major order, bias row last, each {@code
     * nextInt(2) == 0 ? -1 : +1}.
     */
    static GeoffTargetNetwork draw(int inputs, int features, double beta, SplittableRandom random) {
        byte[] weights = new byte[(inputs + 1) * features];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = (byte) (random.nextInt(2) == 0 ? -1 : 1);
        }
        return new GeoffTargetNetwork(inputs, features, weights, beta);
    }

    /** Returns m, the number of inputs without the bias input. */
    public int inputs() {
        return inputs;
    }

    /** Returns n, the number of threshold units without the bias feature. */
    public int features() {
        return features;
    }

    /** Returns u*_ij, -1 or +1; i = m is the bias row. */
    public int inputWeight(int i, int j) {
        if (i < 0 || i > inputs || j < 0 || j >= features) {
            throw new IndexOutOfBoundsException(
                    "Input weight ("
                            + i
                            + ", "
                            + j
                            + ") is outside the "
                            + (inputs + 1)
                            + " x "
                            + features
                            + " matrix U*.");
        }
        return inputWeights[i * features + j];
    }

    /** Returns S_j, the number of -1 entries in column j of U*, bias row included. */
    public int negativeCount(int j) {
        return negativeCounts[j];
    }

    /** Returns the threshold of unit j, {@code (m + 1) * beta - S_j}. */
    public double threshold(int j) {
        return thresholds[j];
    }

    /**
     * Computes the target without noise, {@code sum_j phi*_j w*_j + w*_n}.
     *
     * @param x the m inputs, each 0 or 1; values other than 1 count as 0
     * @param outputWeights W*, n + 1 values, the last for the bias feature
     */
    public double output(double[] x, int[] outputWeights) {
        return positiveMasks != null
                ? outputByMasks(x, outputWeights)
                : outputByRows(x, outputWeights);
    }

    private double outputByMasks(double[] x, int[] outputWeights) {
        long bits = 0;
        for (int i = 0; i < inputs; i++) {
            if (x[i] == 1.0) {
                bits |= 1L << i;
            }
        }
        int active = Long.bitCount(bits);
        int bias = inputs * features;
        long total = outputWeights[features];
        for (int j = 0; j < features; j++) {
            int sum = inputWeights[bias + j] + 2 * Long.bitCount(bits & positiveMasks[j]) - active;
            // The shift gives -1 (all bits set) when the unit fires and 0 otherwise. A branch
            // would depend on the random inputs, so the processor would often mispredict it.
            total += outputWeights[j] & ((floorThresholds[j] - sum) >> 31);
        }
        return total;
    }

    private double outputByRows(double[] x, int[] outputWeights) {
        int[] sums = new int[features];
        // The bias input is always 1, so its row starts every sum.
        int bias = inputs * features;
        for (int j = 0; j < features; j++) {
            sums[j] = inputWeights[bias + j];
        }
        for (int i = 0; i < inputs; i++) {
            if (x[i] == 1.0) {
                int row = i * features;
                for (int j = 0; j < features; j++) {
                    sums[j] += inputWeights[row + j];
                }
            }
        }
        long total = outputWeights[features];
        for (int j = 0; j < features; j++) {
            if (sums[j] > thresholds[j]) {
                total += outputWeights[j];
            }
        }
        return total;
    }
}
