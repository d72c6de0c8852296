package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * First steps of momentum, RMSProp and Adam on a 1-1-1 network with relu, worked out by hand
 * from the update rules (see {@link BackpropLearner}) with the default constants.
 *
 * <p>Network: u = 0.5, b = 0.25, w = 2, c = 0.5; example x = 2, target 4; step size 0.1.
 * Step 1: net = 2 * 0.5 + 0.25 = 1.25, phi = 1.25, g' = 1, y = 1.25 * 2 + 0.5 = 3, delta = 1,
 * error = 1. Back-propagated error e = g' * delta * w = 2. Gradients: g_u = -x e = -4, g_b = -e
 * = -2, g_w = -delta phi = -1.25, g_c = -delta = -1.
 */
class OptimizerFirstStepsTest {

    private static final double ALPHA = 0.1;
    private static final double[] X = {2.0};
    private static final double[] TARGET = {4.0};

    // The hand values below go through a few roundings of 0.1; 1e-15 allows for them.
    private static final double TOLERANCE = 1e-15;

    private static Learner learner(LearnerKind kind) {
        LearnerConfig config =
                LearnerConfig.builder(kind, 1, 1, 1)
                        .activation(Activation.RELU)
                        .stepSize(ALPHA)
                        .build();
        Weights start =
                new Weights(
                        new double[][] {{0.5}},
                        new double[] {0.25},
                        new double[][] {{2.0}},
                        new double[] {0.5});
        return Learner.create(config, start);
    }

    @Test
    void momentumTwoSteps() {
        Learner learner = learner(LearnerKind.MOMENTUM);
        assertThat(learner.step(X, TARGET).error()).isEqualTo(1.0);
        // Step 1, v = 0.9 * 0 + g = g: u = 0.5 + 0.1 * 4 = 0.9, b = 0.25 + 0.1 * 2 = 0.45,
        // w = 2 + 0.1 * 1.25 = 2.125, c = 0.5 + 0.1 * 1 = 0.6.
        assertWeights(learner.weights(), 0.9, 0.45, 2.125, 0.6);

        // Step 2: net = 2 * 0.9 + 0.45 = 2.25 = phi, y = 2.25 * 2.125 + 0.6 = 5.38125,
        // delta = -1.38125, error = 1.9078515625, e = delta * w = -2.93515625.
        // g_u = -x e = 5.8703125, v_u = 0.9 * -4 + 5.8703125 = 2.2703125, u = 0.9 - 0.22703125.
        // g_b = 2.93515625, v_b = 0.9 * -2 + 2.93515625 = 1.13515625, b = 0.45 - 0.113515625.
        // g_w = -delta phi = 3.1078125, v_w = 0.9 * -1.25 + 3.1078125 = 1.9828125,
        // w = 2.125 - 0.19828125. g_c = 1.38125, v_c = 0.9 * -1 + 1.38125 = 0.48125,
        // c = 0.6 - 0.048125.
        StepResult second = learner.step(X, TARGET);
        assertThat(second.error()).isCloseTo(1.9078515625, within(TOLERANCE * 2));
        assertWeights(learner.weights(), 0.67296875, 0.336484375, 1.92671875, 0.551875);
        assertThat(second.uChange()).isCloseTo(0.67296875 - 0.5, within(TOLERANCE));
        assertThat(second.wChange()).isCloseTo(2.0 - 1.92671875, within(TOLERANCE));
    }

    @Test
    void rmsPropFirstStep() {
        Learner learner = learner(LearnerKind.RMSPROP);
        learner.step(X, TARGET);
        // s starts at 1: s = 0.9 * 1 + 0.1 * g^2, theta -= 0.1 * g / sqrt(s + 1e-10).
        // s_u = 0.9 + 1.6 = 2.5, s_b = 0.9 + 0.4 = 1.3, s_w = 0.9 + 0.15625 = 1.05625,
        // s_c = 0.9 + 0.1 = 1.0.
        assertWeights(
                learner.weights(),
                0.5 + 0.4 / Math.sqrt(2.5 + 1e-10),
                0.25 + 0.2 / Math.sqrt(1.3 + 1e-10),
                2.0 + 0.125 / Math.sqrt(1.05625 + 1e-10),
                0.5 + 0.1 / Math.sqrt(1.0 + 1e-10));
    }

    @Test
    void adamFirstStep() {
        Learner learner = learner(LearnerKind.ADAM);
        learner.step(X, TARGET);
        // t = 1: m = 0.1 g, v = 0.001 g^2, step size 0.1 * sqrt(1 - 0.999) / (1 - 0.9)
        // = sqrt(0.001), and theta -= sqrt(0.001) * 0.1 g / (sqrt(0.001) |g| + 1e-8), which is
        // 0.1 * sign(g) up to the epsilon.
        double lr = 0.1 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        double u = 0.5 + lr * 0.4 / (Math.sqrt(0.001 * 16) + 1e-8);
        double b = 0.25 + lr * 0.2 / (Math.sqrt(0.001 * 4) + 1e-8);
        double w = 2.0 + lr * 0.125 / (Math.sqrt(0.001 * 1.5625) + 1e-8);
        double c = 0.5 + lr * 0.1 / (Math.sqrt(0.001 * 1) + 1e-8);
        assertWeights(learner.weights(), u, b, w, c);
        // Adam's first step is alpha * sign(g) up to epsilon, whatever the gradient's size.
        assertThat(learner.weights().u[0][0]).isCloseTo(0.6, within(1e-6));
        assertThat(learner.weights().w[0][0]).isCloseTo(2.1, within(1e-6));
    }

    @Test
    void sgdFirstStep() {
        Learner learner = learner(LearnerKind.BACKPROP);
        learner.step(X, TARGET);
        // theta -= 0.1 g.
        assertWeights(learner.weights(), 0.9, 0.45, 2.125, 0.6);
    }

    private static void assertWeights(Weights weights, double u, double b, double w, double c) {
        assertThat(weights.u[0][0]).as("u").isCloseTo(u, within(TOLERANCE * Math.abs(u)));
        assertThat(weights.b[0]).as("b").isCloseTo(b, within(TOLERANCE * Math.abs(b)));
        assertThat(weights.w[0][0]).as("w").isCloseTo(w, within(TOLERANCE * Math.abs(w)));
        assertThat(weights.c[0]).as("c").isCloseTo(c, within(TOLERANCE * Math.abs(c)));
    }
}
