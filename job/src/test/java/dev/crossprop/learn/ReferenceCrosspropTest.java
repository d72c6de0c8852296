package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the crossprop learners against a literal transcription of their equations: plain loops
 * over i, j and k in the order the equations are written, with the network's own forward pass,
 * Math.tanh and a textbook softmax, sharing no code with the production kernels.
 *
 * <p>Tolerance: 1e-9 relative (with an absolute floor of 1e-12). The two implementations round
 * differently (a different tanh, summation order and grouping of products), which puts about
 * 1e-16 relative into every step; the step sizes here are small, so the learning dynamics do
 * not amplify that by more than a few orders of magnitude in 500 steps. A single wrong term or
 * index, even at a weight of 1e-3, moves the results by far more than 1e-9.
 */
class ReferenceCrosspropTest {

    private static final int STEPS = 500;
    private static final double RELATIVE = 1e-9;
    private static final double FLOOR = 1e-12;

    @ParameterizedTest(name = "{0} {1} {2}-{3}-{4} eta={5} {6}")
    @CsvSource({
        "crossprop, regression, 4, 6, 1, 0.0, tanh, 0.01, 0.01",
        "crossprop, regression, 4, 6, 1, 0.5, sigmoid, 0.02, 0.01",
        "crossprop, regression, 3, 5, 2, 0.3, tanh, 0.01, 0.03",
        "crossprop, classification, 4, 6, 3, 0.0, tanh, 0.05, 0.05",
        "crossprop, classification, 5, 4, 3, 0.5, relu, 0.02, 0.04",
        "crossprop-approx, regression, 4, 6, 1, 0.0, tanh, 0.01, 0.01",
        "crossprop-approx, regression, 3, 5, 2, 0.5, relu, 0.01, 0.02",
        "crossprop-approx, classification, 4, 6, 3, 0.0, tanh, 0.05, 0.05",
        "crossprop-approx, classification, 5, 4, 3, 0.5, sigmoid, 0.04, 0.02",
    })
    void learnerMatchesLiteralEquations(
            String kind,
            String output,
            int m,
            int n,
            int k,
            double eta,
            String activation,
            double alphaU,
            double alphaW) {
        LearnerConfig config =
                LearnerConfig.builder(LearnerKind.fromId(kind), m, n, k)
                        .outputKind(OutputKind.fromId(output))
                        .activation(Activation.fromId(activation))
                        .stepSizeU(alphaU)
                        .stepSizeW(alphaW)
                        .eta(eta)
                        .initialization(Initialization.SCALED_NORMAL)
                        .build();
        Learner learner = Learner.create(config, 3L);
        Reference reference = new Reference(config, learner.initialWeights());
        Examples examples = Examples.random(STEPS, m, k, 8L);

        for (int t = 0; t < STEPS; t++) {
            double expectedError =
                    config.outputKind() == OutputKind.REGRESSION
                            ? reference.stepRegression(examples.inputs[t], examples.targets[t])
                            : reference.stepClassification(examples.inputs[t], examples.labels[t]);
            StepResult actual = examples.step(learner, t);
            assertClose("error at step " + (t + 1), actual.error(), expectedError);
            assertClose("|U - U0|^2 at step " + (t + 1), actual.uChangeSquared(),
                    reference.uChangeSquared());
            assertClose("|W - W0|^2 at step " + (t + 1), actual.wChangeSquared(),
                    reference.wChangeSquared());
        }
        Weights weights = learner.weights();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertClose("u[" + i + "][" + j + "]", weights.u[i][j], reference.u[i][j]);
            }
        }
        for (int j = 0; j < n; j++) {
            assertClose("b[" + j + "]", weights.b[j], reference.b[j]);
            for (int o = 0; o < k; o++) {
                assertClose("w[" + j + "][" + o + "]", weights.w[j][o], reference.w[j][o]);
            }
        }
        for (int o = 0; o < k; o++) {
            assertClose("c[" + o + "]", weights.c[o], reference.c[o]);
        }
        // The comparison means something only if U moved well beyond the tolerance.
        assertThat(reference.uChangeSquared()).isGreaterThan(1e-6);
    }

    private static void assertClose(String quantity, double actual, double expected) {
        double tolerance = Math.max(FLOOR, RELATIVE * Math.abs(expected));
        assertThat(actual).as(quantity).isCloseTo(expected, within(tolerance));
    }

    /**
     * The equations, written out with one loop per index. U is m x n, W is n x k, h is m x n x k
     * (crossprop, plus a row for the bias input) or n x k (crossprop-approx).
     */
    private static final class Reference {
        final boolean exact;
        final Activation activation;
        final int m;
        final int n;
        final int k;
        final double alphaU;
        final double alphaW;
        final double eta;
        final double[][] u;
        final double[] b;
        final double[][] w;
        final double[] c;
        final double[][] u0;
        final double[][] w0;
        final double[][][] hInput;
        final double[][] hBias;
        final double[][] hApprox;

        Reference(LearnerConfig config, Weights initial) {
            exact = config.kind() == LearnerKind.CROSSPROP;
            activation = config.activation();
            m = config.inputs();
            n = config.hidden();
            k = config.outputs();
            alphaU = config.stepSizeU();
            alphaW = config.stepSizeW();
            eta = config.eta();
            Weights copy = initial.copy();
            u = copy.u;
            b = copy.b;
            w = copy.w;
            c = copy.c;
            Weights again = initial.copy();
            u0 = again.u;
            w0 = again.w;
            hInput = new double[m][n][k];
            hBias = new double[n][k];
            hApprox = new double[n][k];
        }

        double stepRegression(double[] x, double[] target) {
            double[] phi = new double[n];
            double[] gPrime = new double[n];
            double[] yOut = forward(x, phi, gPrime);
            double[] deltas = new double[k];
            double error = 0;
            for (int o = 0; o < k; o++) {
                deltas[o] = target[o] - yOut[o];
                error += deltas[o] * deltas[o];
            }
            learn(x, phi, gPrime, deltas);
            return error;
        }

        double stepClassification(double[] x, int label) {
            double[] phi = new double[n];
            double[] gPrime = new double[n];
            double[] yOut = forward(x, phi, gPrime);
            double total = 0;
            double[] p = new double[k];
            for (int o = 0; o < k; o++) {
                p[o] = Math.exp(yOut[o]);
                total += p[o];
            }
            double[] deltas = new double[k];
            for (int o = 0; o < k; o++) {
                p[o] /= total;
                deltas[o] = (o == label ? 1 : 0) - p[o];
            }
            learn(x, phi, gPrime, deltas);
            return -Math.log(p[label]);
        }

        private double[] forward(double[] x, double[] phi, double[] gPrime) {
            for (int j = 0; j < n; j++) {
                double net = b[j];
                for (int i = 0; i < m; i++) {
                    net += x[i] * u[i][j];
                }
                switch (activation) {
                    case TANH -> {
                        phi[j] = Math.tanh(net);
                        gPrime[j] = 1 - phi[j] * phi[j];
                    }
                    case SIGMOID -> {
                        phi[j] = 1 / (1 + Math.exp(-net));
                        gPrime[j] = phi[j] * (1 - phi[j]);
                    }
                    case RELU -> {
                        phi[j] = Math.max(net, 0);
                        gPrime[j] = net > 0 ? 1 : 0;
                    }
                }
            }
            double[] yOut = new double[k];
            for (int o = 0; o < k; o++) {
                yOut[o] = c[o];
                for (int j = 0; j < n; j++) {
                    yOut[o] += phi[j] * w[j][o];
                }
            }
            return yOut;
        }

        private void learn(double[] x, double[] phi, double[] gPrime, double[] delta) {
            // Every right-hand side reads the values from before the step, so the new values go
            // into fresh arrays first.
            double[][] newU = new double[m][n];
            double[] newB = new double[n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i <= m; i++) {
                    double xi = i < m ? x[i] : 1.0;
                    double old = i < m ? u[i][j] : b[j];
                    double sum = 0;
                    for (int o = 0; o < k; o++) {
                        if (exact) {
                            double h = i < m ? hInput[i][j][o] : hBias[j][o];
                            // Equation 7 with k outputs.
                            sum += delta[o] * ((1 - eta) * phi[j] * h
                                    + eta * w[j][o] * gPrime[j] * xi);
                        } else {
                            // Equation 8.
                            sum += delta[o] * ((1 - eta) * phi[j] * hApprox[j][o]
                                    + eta * w[j][o]) * gPrime[j] * xi;
                        }
                    }
                    if (i < m) {
                        newU[i][j] = old + alphaU * sum;
                    } else {
                        newB[j] = old + alphaU * sum;
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                for (int o = 0; o < k; o++) {
                    double decay = 1 - alphaW * (1 - eta) * phi[j] * phi[j];
                    if (exact) {
                        for (int i = 0; i <= m; i++) {
                            double xi = i < m ? x[i] : 1.0;
                            double input = alphaW * (delta[o] - eta * w[j][o] * phi[j])
                                    * gPrime[j] * xi;
                            if (i < m) {
                                hInput[i][j][o] = hInput[i][j][o] * decay + input;
                            } else {
                                hBias[j][o] = hBias[j][o] * decay + input;
                            }
                        }
                    } else {
                        hApprox[j][o] = hApprox[j][o] * decay
                                + alphaW * (delta[o] - eta * w[j][o] * phi[j]);
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                for (int o = 0; o < k; o++) {
                    w[j][o] += alphaW * delta[o] * phi[j];
                }
            }
            for (int o = 0; o < k; o++) {
                c[o] += alphaW * delta[o];
            }
            for (int i = 0; i < m; i++) {
                u[i] = newU[i];
            }
            System.arraycopy(newB, 0, b, 0, n);
        }

        double uChangeSquared() {
            double s = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    s += (u[i][j] - u0[i][j]) * (u[i][j] - u0[i][j]);
                }
            }
            return s;
        }

        double wChangeSquared() {
            double s = 0;
            for (int j = 0; j < n; j++) {
                for (int o = 0; o < k; o++) {
                    s += (w[j][o] - w0[j][o]) * (w[j][o] - w0[j][o]);
                }
            }
            return s;
        }
    }
}
