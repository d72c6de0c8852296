package dev.crossprop.job.config;

import dev.crossprop.learn.LearnerConfig;

import java.io.Serializable;

/**
 * One configured learner after sweep expansion: its label (unique in the experiment, used in
 * experiment ids such as {@code geoff-seed-7/crossprop-eta0.5}) and its complete settings.
 */
public record LearnerSpec(String label, LearnerConfig config) implements Serializable {

    /** Returns the experiment id of this learner on a run. */
    public String experimentId(String run) {
        return run + "/" + label;
    }
}
