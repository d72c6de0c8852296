package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class InitialWeightsTest {

    private static final LearnerConfig CONFIG =
            LearnerConfig.builder(LearnerKind.BACKPROP, 2, 3, 1).build();

    @Test
    void sameSeedGivesSameBits() {
        assertThat(InitialWeights.draw(CONFIG, 42L)).isEqualTo(InitialWeights.draw(CONFIG, 42L));
        assertThat(Learner.create(CONFIG, 42L).initialWeights())
                .isEqualTo(InitialWeights.draw(CONFIG, 42L));
    }

    @Test
    void differentSeedGivesDifferentWeights() {
        Weights a = InitialWeights.draw(CONFIG, 42L);
        Weights b = InitialWeights.draw(CONFIG, 43L);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(a.u[i][j]).isNotEqualTo(b.u[i][j]);
            }
        }
    }

    /**
     * The expected values come from an independent Python 3 transcription of the documented
     * algorithm: SplitMix64 as java.util.SplittableRandom specifies it (seed += 0x9e3779b97f4a7c15,
     * then the mix64 finalizer; nextDouble = (nextLong >>> 11) * 2^-53), then Box-Muller's cosine
     * half with the C library's log and cos. The tolerance of 1e-15 relative allows for the last
     * bit of libm against fdlibm.
     */
    @Test
    void drawsFollowDocumentedAlgorithm() {
        Weights w = InitialWeights.draw(CONFIG, 42L);
        double[] expected = {
            0.8822489062222688, -0.4508498757188601, 0.1883526341159315,
            0.219586379190761, -0.6703714655421094, -0.676527986719054,
        };
        double[] actual = {w.u[0][0], w.u[0][1], w.u[0][2], w.u[1][0], w.u[1][1], w.u[1][2]};
        for (int t = 0; t < expected.length; t++) {
            assertThat(actual[t]).as("draw %d", t)
                    .isCloseTo(expected[t], within(1e-15 * Math.abs(expected[t])));
        }
    }

    @Test
    void scaledNormalDividesByRootOfFanIn() {
        LearnerConfig scaled =
                CONFIG.toBuilder().initialization(Initialization.SCALED_NORMAL).build();
        Weights plain = InitialWeights.draw(CONFIG, 42L);
        Weights small = InitialWeights.draw(scaled, 42L);
        // Same draws: U and b are divided by sqrt(m) = sqrt(2), W and c by sqrt(n) = sqrt(3).
        assertThat(small.u[1][2]).isEqualTo(plain.u[1][2] * (1.0 / StrictMath.sqrt(2)));
        assertThat(small.b[0]).isEqualTo(plain.b[0] * (1.0 / StrictMath.sqrt(2)));
        assertThat(small.w[2][0]).isEqualTo(plain.w[2][0] * (1.0 / StrictMath.sqrt(3)));
        assertThat(small.c[0]).isEqualTo(plain.c[0] * (1.0 / StrictMath.sqrt(3)));
    }

    @Test
    void normalDrawsHaveUnitVariance() {
        // 100 x 100 = 10,000 draws of U: the sample mean is within 4 standard errors (0.04) of
        // 0 and the variance within 0.06 of 1 (its standard error is sqrt(2 / 10,000) = 0.014).
        LearnerConfig big = LearnerConfig.builder(LearnerKind.BACKPROP, 100, 100, 1).build();
        Weights w = InitialWeights.draw(big, 7L);
        double sum = 0;
        double sumSquares = 0;
        for (double[] row : w.u) {
            for (double v : row) {
                sum += v;
                sumSquares += v * v;
            }
        }
        double mean = sum / 10_000;
        assertThat(mean).isCloseTo(0.0, within(0.04));
        assertThat(sumSquares / 10_000 - mean * mean).isCloseTo(1.0, within(0.06));
    }
}
