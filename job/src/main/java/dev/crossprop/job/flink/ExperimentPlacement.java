package dev.crossprop.job.flink;

import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.types.ExperimentKey;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses each experiment's key so that the learn operator's work spreads evenly over its
 * subtasks, at any parallelism.
 *
 * <p>Flink maps a key's hash code to one of the job's key groups and gives each subtask a
 * contiguous range of key groups. With the experiment ids' own hash codes the split is left to
 * chance: the 240 experiments of {@code conf/geoff.yaml} fell 135 and 105 on two subtasks, and
 * the busiest of 8 subtasks had 18% more work than its share. For a run named in the
 * configuration, the experiment of run r and learner l instead gets position p = r * s + l, with
 * s the learner count rounded up to an odd number, and goes to the key group at position p of
 * the base-2 van der Corput sequence, which visits the key groups in an order whose every
 * prefix is spread evenly. Because s is odd, each learner's runs also take turns over the
 * subtasks. At parallelism 2, 4 or 8 every learner then has an equal share of its runs on each
 * subtask, give or take one, so the costly learners are shared out too. The hash code is the
 * smallest one that Flink maps to that key group.
 *
 * <p>Experiments of runs that the configuration does not name, as on live feeds, keep the hash
 * code of their id. The placement depends only on the run's position in the configuration, the
 * number of learners and the maximum parallelism: a savepoint restores at any parallelism, and
 * with runs added at the end, but not with other learners.
 */
public final class ExperimentPlacement implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> runIndexes = new HashMap<>();
    private final List<LearnerSpec> learners;
    private final int[] groupHashes;

    /**
     * @param runIds the configured runs, in configuration order; empty for live feeds
     * @param learners the learners, in configuration order
     * @param maxParallelism the job's maximum parallelism, which is its number of key groups
     */
    public ExperimentPlacement(List<String> runIds, List<LearnerSpec> learners, int maxParallelism) {
        if (maxParallelism < 1) {
            throw new IllegalArgumentException("maxParallelism must be at least 1, got " + maxParallelism);
        }
        for (int i = 0; i < runIds.size(); i++) {
            runIndexes.putIfAbsent(runIds.get(i), i);
        }
        this.learners = List.copyOf(learners);
        this.groupHashes = smallestHashPerKeyGroup(maxParallelism);
    }

    /** Number of learners per run. */
    public int learners() {
        return learners.size();
    }

    /** Returns the key of the experiment of {@code run} and the learner at {@code learnerIndex}. */
    public ExperimentKey key(String run, int learnerIndex) {
        String id = learners.get(learnerIndex).experimentId(run);
        Integer runIndex = runIndexes.get(run);
        if (runIndex == null) {
            return new ExperimentKey(id, id.hashCode());
        }
        int stride = learners.size() | 1;
        int position = runIndex * stride + learnerIndex;
        return new ExperimentKey(id, groupHashes[keyGroupAt(position, groupHashes.length)]);
    }

    /**
     * Returns the key group at {@code position} of the base-2 van der Corput sequence over
     * {@code keyGroups} groups: the position's bits mirrored into a fraction of [0, 1), scaled.
     */
    static int keyGroupAt(int position, int keyGroups) {
        long fraction = Integer.reverse(position) & 0xffffffffL;
        return (int) ((fraction * keyGroups) >>> 32);
    }

    private static int[] smallestHashPerKeyGroup(int keyGroups) {
        int[] hashes = new int[keyGroups];
        Arrays.fill(hashes, -1);
        int missing = keyGroups;
        // Flink's murmur hash spreads consecutive hash codes evenly, so a short scan finds all.
        for (int hash = 0; missing > 0; hash++) {
            int group = KeyGroupRangeAssignment.computeKeyGroupForKeyHash(hash, keyGroups);
            if (hashes[group] < 0) {
                hashes[group] = hash;
                missing--;
            }
        }
        return hashes;
    }
}
