package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    /**
     * Compares with StrictMath.tanh (fdlibm, under 1 ulp) on a grid, on random values over
     * [-30, 30] and near 0, and at the two ends of the range. 1.5e-15 relative is about 7 ulps.
     */
    @Test
    void tanhMatchesStrictMath() {
        for (int t = -200_000; t <= 200_000; t++) {
            check(t * 1e-4);
        }
        SplittableRandom random = new SplittableRandom(1L);
        for (int t = 0; t < 200_000; t++) {
            check((random.nextDouble() - 0.5) * 60);
            check((random.nextDouble() - 0.5) * 1e-6);
        }
        check(Activations.LINEAR_LIMIT);
        check(Math.nextDown(Activations.LINEAR_LIMIT));
        check(-Activations.LINEAR_LIMIT);
        check(Activations.SATURATION);
        check(Math.nextDown(Activations.SATURATION));
        check(Double.MIN_VALUE);
        check(1e300);
    }

    private static void check(double x) {
        double expected = StrictMath.tanh(x);
        assertThat(Activations.tanh(x))
                .as("tanh(%s)", x)
                .isCloseTo(expected, within(1.5e-15 * Math.abs(expected)));
    }

    @Test
    void tanhSpecialValues() {
        assertThat(Activations.tanh(Double.NaN)).isNaN();
        assertThat(Activations.tanh(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Activations.tanh(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(Activations.tanh(0.0)).isEqualTo(0.0);
        assertThat(Activations.tanh(-2.0)).isEqualTo(-Activations.tanh(2.0));
    }

    /** The layer version runs vectorized loops; it must give the scalar version's bits. */
    @Test
    void layerTanhEqualsScalarTanh() {
        SplittableRandom random = new SplittableRandom(2L);
        int n = 1027;
        double[] net = new double[n];
        for (int j = 0; j < n; j++) {
            net[j] = switch (j % 4) {
                case 0 -> random.nextGaussian() * 3;
                case 1 -> (random.nextDouble() - 0.5) * 60;
                case 2 -> (random.nextDouble() - 0.5) * 1e-8;
                default -> random.nextDouble() - 0.5;
            };
        }
        net[5] = Double.NaN;
        net[9] = Double.NEGATIVE_INFINITY;
        net[13] = -0.0;
        double[] phi = new double[n];
        double[] derivative = new double[n];
        // Repeated so that C2 compiles apply() and the compiled loops are compared too.
        for (int round = 0; round < 3_000; round++) {
            Activations.apply(Activation.TANH, net, phi, derivative, n);
        }
        for (int j = 0; j < n; j++) {
            double expected = Activations.tanh(net[j]);
            assertThat(Double.doubleToRawLongBits(phi[j]))
                    .as("tanh(%s)", net[j])
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            assertThat(Double.doubleToRawLongBits(derivative[j]))
                    .as("tanh'(%s)", net[j])
                    .isEqualTo(Double.doubleToRawLongBits(1.0 - expected * expected));
        }
    }

    @Test
    void sigmoidMatchesDefinition() {
        for (int t = -4000; t <= 4000; t++) {
            double x = t * 0.01;
            double expected = 1 / (1 + Math.exp(-x));
            // Math.exp may differ from StrictMath.exp in the last bit, which 1e-15 allows for.
            assertThat(Activations.sigmoid(x)).isCloseTo(expected, within(1e-15 * expected));
        }
    }

    @Test
    void derivativesFollowFromOutputs() {
        double[] net = {-1.5, 0.0, 0.3, 2.0};
        double[] phi = new double[4];
        double[] derivative = new double[4];
        Activations.apply(Activation.RELU, net, phi, derivative, 4);
        assertThat(phi).containsExactly(0.0, 0.0, 0.3, 2.0);
        assertThat(derivative).containsExactly(0.0, 0.0, 1.0, 1.0);
        Activations.apply(Activation.SIGMOID, net, phi, derivative, 4);
        for (int j = 0; j < 4; j++) {
            assertThat(derivative[j]).isEqualTo(phi[j] * (1 - phi[j]));
        }
        Activations.apply(Activation.TANH, net, phi, derivative, 4);
        for (int j = 0; j < 4; j++) {
            assertThat(derivative[j]).isEqualTo(1 - phi[j] * phi[j]);
        }
    }
}
