package dev.crossprop.job.types;

import dev.crossprop.learn.Learner;

/**
 * Keyed state of one experiment: its learner (weights, crossprop memory h, optimizer moments),
 * the last example index it learned from, where it diverged, and the open down-sampling and
 * aggregation windows. Mutable and owned by the keyed operator; the heap state backend keeps it
 * as an object, so reading it per example costs no serialization.
 */
public final class ExperimentState {

    /** Index of the experiment's learner in the configuration. */
    public int learnerIndex;

    public Learner learner;

    /** Last example index learned from; -1 before the first. */
    public long lastIndex = -1;

    /** Example index at which the learner diverged; -1 while it is finite. */
    public long divergedAt = -1;

    /** Down-sampling window: sums over the examples since the last emitted record. */
    public double windowErrorSum;

    public double windowCorrectSum;

    public int windowCount;

    /** Aggregation bin: the sum of errors of this run in the current bin and their count. */
    public double binErrorSum;

    public int binCount;

    public ExperimentState() {}

    public ExperimentState(int learnerIndex, Learner learner) {
        this.learnerIndex = learnerIndex;
        this.learner = learner;
    }

    public boolean diverged() {
        return divergedAt >= 0;
    }

    /** Returns a deep copy; the learner's arrays are copied too. */
    public ExperimentState copy() {
        ExperimentState copy = new ExperimentState(learnerIndex, learner.copy());
        copy.lastIndex = lastIndex;
        copy.divergedAt = divergedAt;
        copy.windowErrorSum = windowErrorSum;
        copy.windowCorrectSum = windowCorrectSum;
        copy.windowCount = windowCount;
        copy.binErrorSum = binErrorSum;
        copy.binCount = binCount;
        return copy;
    }
}
