package dev.crossprop.learn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Nonlinearity g of the hidden units, with its derivative written in terms of the unit's output
 * phi = g(net): tanh (1 - phi^2), sigmoid (phi * (1 - phi)) or relu ([net > 0]).
 */
public enum Activation {
    TANH("tanh"),
    SIGMOID("sigmoid"),
    RELU("relu");

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /**
     * Returns the activation with the given id.
     *
     * @throws IllegalArgumentException if the id is unknown; the message lists the allowed ids
     */
    public static Activation fromId(String id) {
        for (Activation a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "Unknown activation '" + id + "': use one of " + allowedIds());
    }

    static String allowedIds() {
        return Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", "));
    }
}
