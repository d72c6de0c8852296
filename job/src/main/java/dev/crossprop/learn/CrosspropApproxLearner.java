package dev.crossprop.learn;

import java.util.Arrays;
import java.util.List;

/**
 * Crossprop-approx (equation 8 of Veeriah, Zhang and Sutton, 2017): one memory value h_jk per
 * hidden unit j and output k instead of one per input weight. With alpha_U and alpha_W the step
 * sizes of U and W:
 *
 * <pre>
 * u_ij += alpha_U * sum_k delta_k * [ (1 - eta) * phi_j * h_jk + eta * w_jk ] * g'_j * x_i
 * h_jk  = h_jk * (1 - alpha_W * (1 - eta) * phi_j^2) + alpha_W * (delta_k - eta * w_jk * phi_j)
 * w_jk += alpha_W * delta_k * phi_j
 * </pre>
 *
 * The hidden bias b_j follows the u_ij rule with x_i = 1 and c_k follows the w_jk rule with
 * phi_j = 1. h starts at 0. All three updates use the values from before the step. The U update
 * is rank one, so rows whose input is 0 are skipped. With eta = 1 this is backprop with SGD, bit
 * for bit.
 *
 * <p>The official TensorFlow code's approximate learner differs when eta &gt; 0: its h update has
 * neither the (1 - eta) factor in the decay nor the -eta * w_jk * phi_j term. This class follows
 * equation 8; with eta = 0 the two agree.
 */
final class CrosspropApproxLearner extends Learner {

    /** Crossprop memory, transposed like W: h[o][j] = h_jo. */
    final double[][] h;

    /** Scratch: the per-hidden-unit factor of the U update. */
    private final double[] scratch;

    CrosspropApproxLearner(LearnerConfig config, Weights initial) {
        super(config, initial);
        h = new double[k][n];
        scratch = new double[n];
    }

    private CrosspropApproxLearner(CrosspropApproxLearner other) {
        super(other);
        h = Weights.copyOf(other.h);
        scratch = new double[n];
    }

    @Override
    public Learner copy() {
        return new CrosspropApproxLearner(this);
    }

    @Override
    List<double[]> stateRows() {
        return Arrays.asList(h);
    }

    @Override
    void update(double[] x) {
        double alphaU = config.stepSizeU();
        double alphaW = config.stepSizeW();
        double eta = config.eta();
        double mix = 1.0 - eta;
        double decayRate = alphaW * mix;
        double[] sum = scratch;
        Arrays.fill(sum, 0.0);

        // One pass over W and h per output: read the old w_jk and h_jk, add their term to the
        // U factor, then write the new h_jk and w_jk.
        double changeSquared = 0.0;
        double biases = 0.0;
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double step = alphaW * d;
            double[] w = wt[o];
            double[] w0 = wt0[o];
            double[] memory = h[o];
            for (int j = 0; j < n; j++) {
                double p = phi[j];
                double wj = w[j];
                double hj = memory[j];
                sum[j] += d * (mix * p * hj + eta * wj);
                memory[j] = hj * (1.0 - decayRate * (p * p)) + alphaW * (d - eta * wj * p);
                double v = wj + step * p;
                w[j] = v;
                double dw = v - w0[j];
                squares[j] = dw * dw;
            }
            changeSquared += sumOfSquares();
            c[o] += step;
            biases += c[o];
        }
        wChangeSquared = changeSquared;

        // The factor is written alpha_U * (sum * g') so that eta = 1 reproduces backprop's
        // alpha_U * e_j bit for bit.
        for (int j = 0; j < n; j++) {
            sum[j] = alphaU * (sum[j] * derivative[j]);
        }
        biasSum = biases + updateActiveRows(x, sum);
    }
}
