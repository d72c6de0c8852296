package dev.crossprop.job.config;

/**
 * An experiment configuration that cannot be run. The message names the file, the field (as a
 * path such as {@code learners[2].step_size}), the rejected value and the allowed values.
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }
}
