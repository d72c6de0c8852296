package dev.crossprop.sinks.report;

/**
 * A results folder or file that the report cannot read. The message names the folder or file, and
 * the line number when one line is at fault, so that the user can open it and fix it. The report
 * command prints the message on stderr and exits with code 2.
 */
public final class InvalidResultsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidResultsException(String message) {
        super(message);
    }

    public InvalidResultsException(String message, Throwable cause) {
        super(message, cause);
    }
}
