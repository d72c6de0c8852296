package dev.crossprop.learn;

import java.util.ArrayList;
import java.util.List;

/**
 * Backprop: every parameter (U, b, W, c) follows the gradient of the loss through one of four
 * optimizers. The loss is 1/2 sum_k delta_k^2 for regression and the cross-entropy for
 * classification. The update rules and defaults are those of the TensorFlow 1 optimizers that
 * the official crossprop experiments used:
 *
 * <pre>
 * SGD:       theta -= alpha * g
 * momentum:  v = mu * v + g;                theta -= alpha * v
 * RMSProp:   s = rho * s + (1 - rho) * g^2; theta -= alpha * g / sqrt(s + eps)
 * Adam:      t += 1; m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g^2
 *            theta -= alpha * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
 * </pre>
 *
 * <p>Gradients: g(u_ij) = -x_i e_j, g(b_j) = -e_j, g(w_jk) = -delta_k phi_j, g(c_k) = -delta_k,
 * where e_j = g'_j sum_k delta_k w_jk. SGD and RMSProp leave a row of U unchanged when its input
 * is 0, so they skip those rows (RMSProp still decays their mean square); momentum and Adam move
 * every weight on every step.
 */
final class BackpropLearner extends Learner {

    /** Velocity (momentum), mean square (RMSProp) or first moment (Adam); null for SGD. */
    final Moments first;

    /** Second moment (Adam only), else null. */
    final Moments second;

    /** Adam's step count t; 0 for the other optimizers. */
    long adamSteps;

    /** Scratch: a per-hidden-unit factor of the step's U update. */
    private final double[] scratch;

    BackpropLearner(LearnerConfig config, Weights initial) {
        super(config, initial);
        switch (config.kind()) {
            case BACKPROP -> {
                first = null;
                second = null;
            }
            case MOMENTUM -> {
                first = new Moments(m, n, k, 0.0);
                second = null;
            }
            case RMSPROP -> {
                first = new Moments(m, n, k, config.rmsInitial());
                second = null;
            }
            case ADAM -> {
                first = new Moments(m, n, k, 0.0);
                second = new Moments(m, n, k, 0.0);
            }
            default -> throw new IllegalArgumentException(
                    "Learner kind " + config.kind().id() + " is not a backprop learner");
        }
        scratch = new double[n];
    }

    private BackpropLearner(BackpropLearner other) {
        super(other);
        first = other.first == null ? null : other.first.copy();
        second = other.second == null ? null : other.second.copy();
        adamSteps = other.adamSteps;
        scratch = new double[n];
    }

    @Override
    public Learner copy() {
        return new BackpropLearner(this);
    }

    @Override
    List<double[]> stateRows() {
        List<double[]> rows = new ArrayList<>();
        if (first != null) {
            first.addRowsTo(rows);
        }
        if (second != null) {
            second.addRowsTo(rows);
        }
        return rows;
    }

    @Override
    void update(double[] x) {
        switch (config.kind()) {
            case BACKPROP -> updateSgd(x);
            case MOMENTUM -> updateMomentum(x);
            case RMSPROP -> updateRmsProp(x);
            case ADAM -> updateAdam(x);
            default -> throw new IllegalStateException("Not a backprop learner: " + config.kind());
        }
    }

    private void updateSgd(double[] x) {
        // W and c first: they use phi and delta only, and e_j was computed from the old W.
        double biases = updateOutputLayerSgd();

        double alpha = config.stepSizeU();
        double[] a = scratch;
        for (int j = 0; j < n; j++) {
            a[j] = alpha * backError[j];
        }
        biasSum = biases + updateActiveRows(x, a);
    }

    private void updateMomentum(double[] x) {
        double mu = config.momentum();
        double alphaU = config.stepSizeU();
        double alphaW = config.stepSizeW();
        Moments v = first;

        double changeSquared = 0.0;
        double biases = 0.0;
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double[] row = wt[o];
            double[] row0 = wt0[o];
            double[] vel = v.wt[o];
            for (int j = 0; j < n; j++) {
                double g = -(d * phi[j]);
                double vj = mu * vel[j] + g;
                vel[j] = vj;
                double w = row[j] - alphaW * vj;
                row[j] = w;
                double dw = w - row0[j];
                squares[j] = dw * dw;
            }
            changeSquared += sumOfSquares();
            double vc = mu * v.c[o] + (-d);
            v.c[o] = vc;
            c[o] -= alphaW * vc;
            biases += c[o];
        }
        wChangeSquared = changeSquared;

        // Every row moves, because the velocity keeps moving rows whose input is 0.
        beginUChange();
        for (int i = 0; i < m; i++) {
            double xi = x[i];
            double[] row = u[i];
            double[] row0 = u0[i];
            double[] vel = v.u[i];
            for (int j = 0; j < n; j++) {
                double g = -(xi * backError[j]);
                double vj = mu * vel[j] + g;
                vel[j] = vj;
                double old = row[j];
                double w = old - alphaU * vj;
                row[j] = w;
                double start = row0[j];
                addChange(j, old - start, w - start);
            }
        }
        endUChange();
        for (int j = 0; j < n; j++) {
            double vb = mu * v.b[j] + (-backError[j]);
            v.b[j] = vb;
            b[j] -= alphaU * vb;
            biases += b[j];
        }
        biasSum = biases;
    }

    private void updateRmsProp(double[] x) {
        double rho = config.rmsDecay();
        double keep = 1.0 - rho;
        double eps = config.rmsEpsilon();
        double alphaU = config.stepSizeU();
        double alphaW = config.stepSizeW();
        Moments s = first;

        double changeSquared = 0.0;
        double biases = 0.0;
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double[] row = wt[o];
            double[] row0 = wt0[o];
            double[] ms = s.wt[o];
            for (int j = 0; j < n; j++) {
                double g = -(d * phi[j]);
                double sj = rho * ms[j] + keep * (g * g);
                ms[j] = sj;
                double w = row[j] - alphaW * g / Math.sqrt(sj + eps);
                row[j] = w;
                double dw = w - row0[j];
                squares[j] = dw * dw;
            }
            changeSquared += sumOfSquares();
            double g = -d;
            double sc = rho * s.c[o] + keep * (g * g);
            s.c[o] = sc;
            c[o] -= alphaW * g / Math.sqrt(sc + eps);
            biases += c[o];
        }
        wChangeSquared = changeSquared;

        // A zero input gives g = 0 for its row: the weights stay and the mean square decays,
        // rho * s + (1 - rho) * 0 = rho * s exactly, so that row costs one pass over s only.
        beginUChange();
        int next = 0;
        for (int i = 0; i < m; i++) {
            double[] ms = s.u[i];
            if (next < activeCount && active[next] == i) {
                next++;
                double xi = x[i];
                double[] row = u[i];
                double[] row0 = u0[i];
                for (int j = 0; j < n; j++) {
                    double g = -(xi * backError[j]);
                    double sj = rho * ms[j] + keep * (g * g);
                    ms[j] = sj;
                    double old = row[j];
                    double w = old - alphaU * g / Math.sqrt(sj + eps);
                    row[j] = w;
                    double start = row0[j];
                    addChange(j, old - start, w - start);
                }
            } else {
                for (int j = 0; j < n; j++) {
                    ms[j] = rho * ms[j];
                }
            }
        }
        endUChange();
        for (int j = 0; j < n; j++) {
            double g = -backError[j];
            double sb = rho * s.b[j] + keep * (g * g);
            s.b[j] = sb;
            b[j] -= alphaU * g / Math.sqrt(sb + eps);
            biases += b[j];
        }
        biasSum = biases;
    }

    private void updateAdam(double[] x) {
        double beta1 = config.adamBeta1();
        double beta2 = config.adamBeta2();
        double keep1 = 1.0 - beta1;
        double keep2 = 1.0 - beta2;
        double eps = config.adamEpsilon();
        long t = ++adamSteps;
        double correction =
                StrictMath.sqrt(1.0 - StrictMath.pow(beta2, t)) / (1.0 - StrictMath.pow(beta1, t));
        double lrU = config.stepSizeU() * correction;
        double lrW = config.stepSizeW() * correction;
        Moments m1 = first;
        Moments m2 = second;

        double changeSquared = 0.0;
        double biases = 0.0;
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double[] row = wt[o];
            double[] row0 = wt0[o];
            double[] mo = m1.wt[o];
            double[] vo = m2.wt[o];
            for (int j = 0; j < n; j++) {
                double g = -(d * phi[j]);
                double mj = beta1 * mo[j] + keep1 * g;
                double vj = beta2 * vo[j] + keep2 * (g * g);
                mo[j] = mj;
                vo[j] = vj;
                double w = row[j] - lrW * mj / (Math.sqrt(vj) + eps);
                row[j] = w;
                double dw = w - row0[j];
                squares[j] = dw * dw;
            }
            changeSquared += sumOfSquares();
            double g = -d;
            double mc = beta1 * m1.c[o] + keep1 * g;
            double vc = beta2 * m2.c[o] + keep2 * (g * g);
            m1.c[o] = mc;
            m2.c[o] = vc;
            c[o] -= lrW * mc / (Math.sqrt(vc) + eps);
            biases += c[o];
        }
        wChangeSquared = changeSquared;

        // Every row moves: the first moment keeps moving rows whose input is 0.
        beginUChange();
        for (int i = 0; i < m; i++) {
            double xi = x[i];
            double[] row = u[i];
            double[] row0 = u0[i];
            double[] mi = m1.u[i];
            double[] vi = m2.u[i];
            // Two loops: C2 unrolls and vectorizes only loops with small bodies, and one fused
            // loop was too large for it (2.5 times slower).
            double[] step = scratch;
            for (int j = 0; j < n; j++) {
                double g = -(xi * backError[j]);
                double mj = beta1 * mi[j] + keep1 * g;
                double vj = beta2 * vi[j] + keep2 * (g * g);
                mi[j] = mj;
                vi[j] = vj;
                step[j] = lrU * mj / (Math.sqrt(vj) + eps);
            }
            for (int j = 0; j < n; j++) {
                double old = row[j];
                double w = old - step[j];
                row[j] = w;
                double start = row0[j];
                addChange(j, old - start, w - start);
            }
        }
        endUChange();
        for (int j = 0; j < n; j++) {
            double g = -backError[j];
            double mb = beta1 * m1.b[j] + keep1 * g;
            double vb = beta2 * m2.b[j] + keep2 * (g * g);
            m1.b[j] = mb;
            m2.b[j] = vb;
            b[j] -= lrU * mb / (Math.sqrt(vb) + eps);
            biases += b[j];
        }
        biasSum = biases;
    }
}
