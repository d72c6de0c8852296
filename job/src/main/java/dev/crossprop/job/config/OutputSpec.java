package dev.crossprop.job.config;

import java.io.Serializable;

/**
 * What the job writes per example.
 *
 * @param downsample "none", "every" (keep every n-th example) or "mean" (the mean over each window of
 *     n examples)
 * @param downsampleN the n of the down-sampling; 1 when it is off
 * @param aggregateBin examples per bin of the aggregated across-run stream
 */
public record OutputSpec(String downsample, int downsampleN, int aggregateBin) implements Serializable {}
