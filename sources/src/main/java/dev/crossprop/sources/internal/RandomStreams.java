package dev.crossprop.sources.internal;

import java.util.SplittableRandom;

/**
 * Seeded random streams that give the same numbers on every machine: they use integer arithmetic,
 * IEEE 754 double arithmetic and {@link StrictMath} only.
 *
 * <p>Each stream is a {@link SplittableRandom} (the SplitMix64 algorithm), seeded with {@code
 * mix64(mix64(mix64(seed) ^ purpose) ^ number)}. Here {@code mix64} is the 64-bit finalizer of
 * SplitMix64 (Stafford's variant 13), the purpose is one of the constants below, and the number
 * distinguishes streams of one purpose, e.g. the task number. Streams of different seeds, purposes
 * or numbers are therefore unrelated.
 *
 * <p>Callers use only {@code nextInt(bound)}, {@code nextDouble()} and the methods below. A GEOFF
 * run and an MNIST permutation gave the same bits on OpenJDK 17.0.15 and Temurin 25.0.3. NOTE: the
 * JDK specifies SplitMix64 for {@code nextLong()} but not the bounded and floating-point methods
 * built on it, so a future JDK could change every generated data set.
 *
 * <p>This class is internal: the constants and the derivation may change between versions, which
 * changes every generated data set.
 */
public final class RandomStreams {

    /** The GEOFF target network: U* and the first task's W*. */
    public static final long GEOFF_NETWORK = 1;

    /** The positions and new values of W* at a GEOFF task change. */
    public static final long GEOFF_TASK_CHANGE = 2;

    /** The inputs and noise of a GEOFF task's example set. */
    public static final long GEOFF_EXAMPLES = 3;

    /** The pixel permutation of a permuted MNIST task. */
    public static final long MNIST_PERMUTATION = 4;

    private RandomStreams() {}

    /** Returns a new stream for the given seed, purpose and number. */
    public static SplittableRandom stream(long seed, long purpose, long number) {
        return new SplittableRandom(mix64(mix64(mix64(seed) ^ purpose) ^ number));
    }

    /** Applies the SplitMix64 finalizer, a bijection on 64-bit values with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Draws one standard normal value with the Marsaglia polar method.
     *
     * <p>Each attempt draws u and v uniform on [-1, 1) as {@code 2 * nextDouble() - 1} and accepts
     * when s = u^2 + v^2 is in (0, 1). The result is {@code u * sqrt(-2 ln(s) / s)}. The second
     * normal value of the pair, {@code v * sqrt(...)}, is discarded so that the next draw depends
     * only on the stream's position, not on a cached value.
     */
    public static double nextGaussian(SplittableRandom random) {
        double u;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            double v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        // StrictMath gives the same bits on every platform; Math.log may differ by one ulp.
        return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    }

    /**
     * Returns a uniformly random permutation of 0 .. size - 1 by the Fisher-Yates shuffle, drawing
     * {@code random.nextInt(i + 1)} for i = size - 1 down to 1.
     */
    public static int[] permutation(int size, SplittableRandom random) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
