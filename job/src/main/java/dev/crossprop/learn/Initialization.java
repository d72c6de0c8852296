package dev.crossprop.learn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Distribution of the initial weights and biases. {@link #NORMAL} draws every parameter from
 * N(0, 1), as the official crossprop experiments do; {@link #SCALED_NORMAL} divides each draw by
 * the square root of the layer's fan-in (m for U and b, n for W and c).
 */
public enum Initialization {
    NORMAL("normal"),
    SCALED_NORMAL("scaled-normal");

    private final String id;

    Initialization(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /**
     * Returns the initialization with the given id.
     *
     * @throws IllegalArgumentException if the id is unknown; the message lists the allowed ids
     */
    public static Initialization fromId(String id) {
        for (Initialization i : values()) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        String allowed =
                Arrays.stream(values()).map(Initialization::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "Unknown initialization '" + id + "': use one of " + allowed);
    }
}
