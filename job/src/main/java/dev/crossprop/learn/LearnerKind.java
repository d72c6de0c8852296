package dev.crossprop.learn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The learning rule. Crossprop learners update U and b with crossprop memory and W and c with
 * plain SGD; the backprop learners update every parameter with the gradient and an optimizer.
 */
public enum LearnerKind {
    /** Crossprop with exact memory h_ijk per input weight and output (m * n * k doubles). */
    CROSSPROP("crossprop"),
    /** Crossprop-approx: memory h_jk per hidden unit and output (equation 8 of Veeriah et al., 2017). */
    CROSSPROP_APPROX("crossprop-approx"),
    /** Backprop with plain stochastic gradient descent. */
    BACKPROP("backprop"),
    /** Backprop with (heavy-ball) momentum. */
    MOMENTUM("momentum"),
    /** Backprop with RMSProp. */
    RMSPROP("rmsprop"),
    /** Backprop with Adam. */
    ADAM("adam");

    private final String id;

    LearnerKind(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files, experiment ids and on the command line. */
    public String id() {
        return id;
    }

    /** Returns whether the learner mixes crossprop and backprop with eta. */
    public boolean usesEta() {
        return this == CROSSPROP || this == CROSSPROP_APPROX;
    }

    /**
     * Returns the learner kind with the given id.
     *
     * @throws IllegalArgumentException if the id is unknown; the message lists the allowed ids
     */
    public static LearnerKind fromId(String id) {
        for (LearnerKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        String allowed =
                Arrays.stream(values()).map(LearnerKind::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Unknown learner '" + id + "': use one of " + allowed);
    }
}
