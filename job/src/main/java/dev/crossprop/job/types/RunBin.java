package dev.crossprop.job.types;

/**
 * The mean error of one run in one bin of consecutive example indexes, the input of the
 * across-run aggregate.
 *
 * @param learner learner label
 * @param run run id
 * @param task task of the bin's last example
 * @param bin bin number: example index / bin size
 * @param meanError mean error of the run over the bin
 * @param examples examples in the bin
 */
public record RunBin(String learner, String run, String task, long bin, double meanError, int examples) {}
