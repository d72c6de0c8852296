package dev.crossprop.sources;

import java.util.Objects;

/**
 * Thrown when a record cannot be decoded into an example or the example breaks the stream's rules.
 * The reason is machine-readable; the message names the rejected value and the fix.
 */
public final class InvalidExampleException extends Exception {

    private static final long serialVersionUID = 1L;

    private final InvalidReason reason;

    public InvalidExampleException(InvalidReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public InvalidExampleException(InvalidReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Returns why the record was rejected. */
    public InvalidReason reason() {
        return reason;
    }
}
