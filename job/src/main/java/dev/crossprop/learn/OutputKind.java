package dev.crossprop.learn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the output layer predicts: real values trained on the squared error, or a class trained
 * through a softmax on the cross-entropy.
 */
public enum OutputKind {
    REGRESSION("regression"),
    CLASSIFICATION("classification");

    private final String id;

    OutputKind(String id) {
        this.id = id;
    }

    /** Returns the name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /**
     * Returns the output kind with the given id.
     *
     * @throws IllegalArgumentException if the id is unknown; the message lists the allowed ids
     */
    public static OutputKind fromId(String id) {
        for (OutputKind o : values()) {
            if (o.id.equals(id)) {
                return o;
            }
        }
        String allowed =
                Arrays.stream(values()).map(OutputKind::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "Unknown output kind '" + id + "': use one of " + allowed);
    }
}
