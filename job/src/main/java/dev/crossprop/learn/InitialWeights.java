package dev.crossprop.learn;

import java.util.SplittableRandom;

/**
 * Draws a network's initial weights from a seed, with the same bits on every machine and JVM.
 *
 * <p>Algorithm: one {@link SplittableRandom} created from the seed (its generator, SplitMix64,
 * is fixed by its specification) gives uniform doubles with {@code nextDouble()}. Each normal
 * value uses two of them, u1 then u2, in the Box-Muller transform z = sqrt(-2 ln(1 - u1)) *
 * cos(2 pi u2), with {@link StrictMath}'s log, cos and sqrt (fdlibm, the same on every JVM); the
 * sine half is not used. Draw order: U row by row (i = 0..m-1, and within a row j = 0..n-1), then
 * b (j = 0..n-1), then W row by row (j = 0..n-1, and within a row o = 0..k-1), then c (o =
 * 0..k-1). {@link Initialization#NORMAL} keeps z; {@link Initialization#SCALED_NORMAL} multiplies
 * U and b by 1 / sqrt(m) and W and c by 1 / sqrt(n).
 */
public final class InitialWeights {

    private InitialWeights() {}

    /** Draws the initial weights for {@code config} from {@code seed} as the class describes. */
    public static Weights draw(LearnerConfig config, long seed) {
        int m = config.inputs();
        int n = config.hidden();
        int k = config.outputs();
        boolean scaled = config.initialization() == Initialization.SCALED_NORMAL;
        double hiddenScale = scaled ? 1.0 / StrictMath.sqrt(m) : 1.0;
        double outputScale = scaled ? 1.0 / StrictMath.sqrt(n) : 1.0;
        SplittableRandom random = new SplittableRandom(seed);

        double[][] u = new double[m][n];
        for (int i = 0; i < m; i++) {
            fill(random, u[i], hiddenScale);
        }
        double[] b = new double[n];
        fill(random, b, hiddenScale);
        double[][] w = new double[n][k];
        for (int j = 0; j < n; j++) {
            fill(random, w[j], outputScale);
        }
        double[] c = new double[k];
        fill(random, c, outputScale);
        return new Weights(u, b, w, c);
    }

    private static void fill(SplittableRandom random, double[] values, double scale) {
        for (int j = 0; j < values.length; j++) {
            values[j] = standardNormal(random) * scale;
        }
    }

    /** Returns one N(0, 1) value from two uniform draws (Box-Muller, cosine half). */
    static double standardNormal(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        // 1 - u1 lies in (0, 1], so the logarithm is finite.
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
        return radius * StrictMath.cos(2.0 * Math.PI * u2);
    }
}
