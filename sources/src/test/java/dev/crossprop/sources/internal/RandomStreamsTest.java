package dev.crossprop.sources.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

class RandomStreamsTest {

    @Test
    void mix64MatchesSplittableRandomFinalizer() {
        // SplittableRandom(s).nextLong() is mix64(s + golden gamma) by its specification, which
        // gives an independent check of the finalizer.
        long goldenGamma = 0x9E3779B97F4A7C15L;
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE}) {
            assertThat(RandomStreams.mix64(seed + goldenGamma))
                    .isEqualTo(new SplittableRandom(seed).nextLong());
        }
    }

    @Test
    void streamsDifferByEveryKeyPart() {
        long base = RandomStreams.stream(1, 2, 3).nextLong();

        assertThat(RandomStreams.stream(1, 2, 3).nextLong()).isEqualTo(base);
        assertThat(RandomStreams.stream(2, 2, 3).nextLong()).isNotEqualTo(base);
        assertThat(RandomStreams.stream(1, 1, 3).nextLong()).isNotEqualTo(base);
        assertThat(RandomStreams.stream(1, 2, 4).nextLong()).isNotEqualTo(base);
    }

    @Test
    void gaussianHasStandardNormalMoments() {
        // n = 200,000 draws. Tolerances are 5 standard errors: mean 5 / sqrt(n) = 0.0112,
        // variance 5 * sqrt(2 / n) = 0.0158, P(Z < 1) 5 * sqrt(0.8413 * 0.1587 / n) = 0.0041.
        int n = 200_000;
        SplittableRandom random = new SplittableRandom(3);
        double sum = 0;
        double sumSquares = 0;
        int belowOne = 0;
        for (int k = 0; k < n; k++) {
            double z = RandomStreams.nextGaussian(random);
            sum += z;
            sumSquares += z * z;
            if (z < 1) {
                belowOne++;
            }
        }
        double mean = sum / n;

        assertThat(mean).isCloseTo(0, within(0.0112));
        assertThat(sumSquares / n - mean * mean).isCloseTo(1, within(0.0158));
        // Phi(1) = 0.841345 from the standard normal table.
        assertThat((double) belowOne / n).isCloseTo(0.841345, within(0.0041));
    }

    @Test
    void permutationContainsEveryIndexOnce() {
        int[] order = RandomStreams.permutation(784, new SplittableRandom(5));
        int[] sorted = order.clone();
        Arrays.sort(sorted);

        for (int i = 0; i < sorted.length; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
        assertThat(order).isNotEqualTo(sorted);
    }
}
