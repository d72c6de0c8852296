package dev.crossprop.job;

import java.nio.charset.StandardCharsets;

/**
 * Seeds of the initial weights. All learners of one run start from the same seed, so that
 * learners with the same network shape start from the same weights and their curves differ
 * only by the learning rule. The seed depends on the configured init seed and the run id alone,
 * never on parallelism, restarts or the order of arrival.
 */
public final class ExperimentSeeds {

    private ExperimentSeeds() {}

    /**
     * Returns the seed of the initial weights of every experiment on {@code run}: the SplitMix64
     * finalizer applied to the configured seed XOR the 64-bit FNV-1a hash of the run id's UTF-8
     * bytes.
     */
    public static long initialWeightsSeed(long initSeed, String run) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : run.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        long z = initSeed ^ hash;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
