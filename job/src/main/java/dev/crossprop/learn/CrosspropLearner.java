package dev.crossprop.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Crossprop with exact memory (equation 7 of Veeriah, Zhang and Sutton, 2017, extended to k
 * outputs): one memory value h_ijk per input weight u_ij and output k. With alpha_U and alpha_W
 * the step sizes of U and W:
 *
 * <pre>
 * u_ij  += alpha_U * sum_k delta_k * [ (1 - eta) * phi_j * h_ijk + eta * w_jk * g'_j * x_i ]
 * h_ijk  = h_ijk * (1 - alpha_W * (1 - eta) * phi_j^2) + alpha_W * (delta_k - eta * w_jk * phi_j) * g'_j * x_i
 * w_jk  += alpha_W * delta_k * phi_j
 * </pre>
 *
 * The hidden bias b_j is a weight from an input fixed at 1, with its own memory h_bjk; c_k
 * follows the w_jk rule with phi_j = 1. h starts at 0. All updates use the values from before the
 * step. h uses alpha_W because it tracks the derivative of W's update with respect to U.
 *
 * <p>Cost: h has (m + 1) * n * k doubles and decays on every step, so every row of U and h is
 * touched on every step, whatever the input. With eta = 1 this is backprop with SGD, bit for bit.
 */
final class CrosspropLearner extends Learner {

    /** Memory of the input weights: h[i * k + o][j] = h_ijo. */
    final double[][] hu;

    /** Memory of the hidden bias: hb[o][j] = h_bjo. */
    final double[][] hb;

    // Per-step factors, each over the hidden units (see update()).
    private final double[] uFromMemory;
    private final double[] uFromBackprop;
    private final double[] decay;
    private final double[][] memoryInput;
    private final double[] memorySum;

    CrosspropLearner(LearnerConfig config, Weights initial) {
        super(config, initial);
        hu = new double[m * k][n];
        hb = new double[k][n];
        uFromMemory = new double[n];
        uFromBackprop = new double[n];
        decay = new double[n];
        memoryInput = new double[k][n];
        memorySum = new double[n];
    }

    private CrosspropLearner(CrosspropLearner other) {
        super(other);
        hu = Weights.copyOf(other.hu);
        hb = Weights.copyOf(other.hb);
        uFromMemory = new double[n];
        uFromBackprop = new double[n];
        decay = new double[n];
        memoryInput = new double[k][n];
        memorySum = new double[n];
    }

    @Override
    public Learner copy() {
        return new CrosspropLearner(this);
    }

    @Override
    List<double[]> stateRows() {
        List<double[]> rows = new ArrayList<>(hu.length + hb.length);
        rows.addAll(Arrays.asList(hu));
        rows.addAll(Arrays.asList(hb));
        return rows;
    }

    /**
     * Rewrites the rules per row i as u_ij += A_j * sum_k delta_k h_ijk + x_i * B_j and h_ijk =
     * h_ijk * D_j + x_i * E_jk, with A_j = alpha_U (1 - eta) phi_j, B_j = alpha_U eta e_j, D_j = 1 -
     * alpha_W (1 - eta) phi_j^2 and E_jk = alpha_W (delta_k - eta w_jk phi_j) g'_j, all computed
     * from the old weights before any of them changes.
     */
    @Override
    void update(double[] x) {
        double alphaU = config.stepSizeU();
        double alphaW = config.stepSizeW();
        double eta = config.eta();
        double mix = 1.0 - eta;
        double fromMemory = alphaU * mix;
        double fromBackprop = alphaU * eta;
        double decayRate = alphaW * mix;
        for (int j = 0; j < n; j++) {
            double p = phi[j];
            uFromMemory[j] = fromMemory * p;
            uFromBackprop[j] = fromBackprop * backError[j];
            decay[j] = 1.0 - decayRate * (p * p);
        }
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double[] w = wt[o];
            double[] e = memoryInput[o];
            for (int j = 0; j < n; j++) {
                e[j] = alphaW * (d - eta * w[j] * phi[j]) * derivative[j];
            }
        }

        beginUChange();
        for (int i = 0; i < m; i++) {
            updateRow(u[i], u0[i], hu, i * k, x[i], true);
        }
        endUChange();
        double biases = 0.0;
        updateRow(b, b0, hb, 0, 1.0, false);
        for (int j = 0; j < n; j++) {
            biases += b[j];
        }

        // W last: the factors above used the old W.
        biasSum = biases + updateOutputLayerSgd();
    }

    /**
     * Updates one row of U (or b, with xi = 1) and its k memory rows memory[first..first+k), and
     * if {@code inU} collects the change of its squared distance from its initial values.
     */
    private void updateRow(
            double[] row, double[] row0, double[][] memory, int first, double xi, boolean inU) {
        // Weights and memory are updated in separate loops: C2 (JDK 17) left one fused loop scalar
        // (it ran as fast with -XX:-UseSuperWord) but vectorizes these.
        if (k == 1) {
            // One output: the memory term is delta_0 * h_ij0, read before h is updated.
            double[] hrow = memory[first];
            updateWeights(row, row0, xi, delta[0], hrow, inU);
            double[] e = memoryInput[0];
            for (int j = 0; j < n; j++) {
                hrow[j] = hrow[j] * decay[j] + xi * e[j];
            }
            return;
        }
        double[] acc = memorySum;
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double[] hrow = memory[first + o];
            double[] e = memoryInput[o];
            if (o == 0) {
                for (int j = 0; j < n; j++) {
                    acc[j] = d * hrow[j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    acc[j] += d * hrow[j];
                }
            }
            for (int j = 0; j < n; j++) {
                hrow[j] = hrow[j] * decay[j] + xi * e[j];
            }
        }
        // The factor 1.0 leaves the bits of acc unchanged.
        updateWeights(row, row0, xi, 1.0, acc, inU);
    }

    /**
     * Applies w_j += A_j * (scale * memory_j) + x_i * B_j to one row, with the per-unit factors of
     * {@link #update}, and if {@code inU} collects the change of the row's squared distance from
     * its initial values.
     */
    private void updateWeights(
            double[] row, double[] row0, double xi, double scale, double[] memory, boolean inU) {
        if (inU) {
            for (int j = 0; j < n; j++) {
                double old = row[j];
                double v = old + (uFromMemory[j] * (scale * memory[j]) + xi * uFromBackprop[j]);
                row[j] = v;
                double start = row0[j];
                addChange(j, old - start, v - start);
            }
        } else {
            for (int j = 0; j < n; j++) {
                row[j] += uFromMemory[j] * (scale * memory[j]) + xi * uFromBackprop[j];
            }
        }
    }
}
