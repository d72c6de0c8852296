package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks backprop's gradient against central finite differences of the loss, for every
 * activation and both output kinds. The gradient is read from one SGD step: theta_new = theta -
 * alpha * g, so g = (theta - theta_new) / alpha, with alpha = 2^-10 so that the division is
 * exact. The loss is read from a learner's step too, since the error is computed before the
 * update: 1/2 sum_k delta_k^2 for regression, -log p_label for classification.
 *
 * <p>Tolerance 1e-7 * max(1, |g|): central differences with h = 1e-6 have a truncation error
 * near h^2 |L'''| / 6 (about 1e-12 here) and a rounding error near 1e-16 |L| / h (about 1e-10).
 */
class GradientCheckTest {

    private static final double ALPHA = 0x1p-10;
    private static final double H = 1e-6;
    private static final double TOLERANCE = 1e-7;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "tanh, regression",
        "sigmoid, regression",
        "relu, regression",
        "tanh, classification",
        "sigmoid, classification",
        "relu, classification",
    })
    void sgdStepFollowsFiniteDifferenceGradient(String activation, String output) {
        int m = 3;
        int n = 4;
        int k = output.equals("regression") ? 2 : 3;
        LearnerConfig config =
                LearnerConfig.builder(LearnerKind.BACKPROP, m, n, k)
                        .activation(Activation.fromId(activation))
                        .outputKind(OutputKind.fromId(output))
                        .stepSize(ALPHA)
                        .build();
        Weights start = InitialWeights.draw(config, 21L);
        double[] x = {0.7, -1.3, 0.4};
        double[] target = {0.5, -2.0};
        int label = 2;

        Function<Weights, Double> loss =
                weights -> {
                    Learner learner = Learner.create(config, weights);
                    return config.outputKind() == OutputKind.REGRESSION
                            ? 0.5 * learner.step(x, target).error()
                            : learner.step(x, label).error();
                };
        Learner learner = Learner.create(config, start);
        if (config.outputKind() == OutputKind.REGRESSION) {
            learner.step(x, target);
        } else {
            learner.step(x, label);
        }
        Weights after = learner.weights();

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int row = i;
                int col = j;
                check("u[" + i + "][" + j + "]", start.u[i][j], after.u[i][j],
                        finiteDifference(start, loss, w -> w.u[row], col));
            }
        }
        for (int j = 0; j < n; j++) {
            int col = j;
            check("b[" + j + "]", start.b[j], after.b[j],
                    finiteDifference(start, loss, w -> w.b, col));
            for (int o = 0; o < k; o++) {
                int out = o;
                check("w[" + j + "][" + o + "]", start.w[j][o], after.w[j][o],
                        finiteDifference(start, loss, w -> w.w[col], out));
            }
        }
        for (int o = 0; o < k; o++) {
            int out = o;
            check("c[" + o + "]", start.c[o], after.c[o],
                    finiteDifference(start, loss, w -> w.c, out));
        }
    }

    /** Returns (L(theta + h) - L(theta - h)) / 2h for the parameter array(weights)[index]. */
    private static double finiteDifference(
            Weights start,
            Function<Weights, Double> loss,
            Function<Weights, double[]> array,
            int index) {
        Weights plus = start.copy();
        array.apply(plus)[index] += H;
        Weights minus = start.copy();
        array.apply(minus)[index] -= H;
        return (loss.apply(plus) - loss.apply(minus)) / (2 * H);
    }

    private static void check(String name, double before, double after, double expected) {
        double gradient = (before - after) / ALPHA;
        assertThat(gradient)
                .as("gradient of %s", name)
                .isCloseTo(expected, within(TOLERANCE * Math.max(1.0, Math.abs(expected))));
    }
}
