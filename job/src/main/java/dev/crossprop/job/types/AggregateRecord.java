package dev.crossprop.job.types;

/**
 * The error of one learner in one bin of examples, averaged across the runs that have finished
 * the bin so far. A new record replaces the previous one of the same learner and bin as more
 * runs finish it; {@code complete} marks the one that includes every configured run.
 *
 * @param learner learner label
 * @param task task of the bin's last example
 * @param bin bin number
 * @param firstIndex first example index of the bin
 * @param lastIndex last example index of the bin
 * @param meanError mean over runs of each run's mean error in the bin
 * @param standardError sample standard deviation over runs divided by sqrt(runs); NaN for one run
 * @param runs number of runs included
 * @param complete whether every configured run is included; always false for live tasks
 */
public record AggregateRecord(
        String learner, String task, long bin, long firstIndex, long lastIndex, double meanError,
        double standardError, int runs, boolean complete) {}
