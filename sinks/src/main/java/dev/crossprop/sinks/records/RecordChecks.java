package dev.crossprop.sinks.records;

/** Argument checks shared by the record constructors. Every message names the field and the fix. */
final class RecordChecks {

    private RecordChecks() {}

    /**
     * Checks an identifier or label: not null and free of line breaks, because the CSV files are
     * read line by line. {@code allowEmpty} is true for the task, which live feeds may leave out.
     */
    static void checkText(String field, String value, boolean allowEmpty) {
        if (value == null) {
            throw new IllegalArgumentException(
                    field + " is null; pass a string" + (allowEmpty ? " (empty when unknown)" : ""));
        }
        if (!allowEmpty && value.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty; pass a non-empty string");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    field + " '" + value.replace("\n", "\\n").replace("\r", "\\r")
                            + "' contains a line break; remove it, because output lines must stay"
                            + " one record each");
        }
    }

    static void checkNonNegative(String field, long value, String experiment) {
        if (value < 0) {
            throw new IllegalArgumentException(
                    field + " is " + value + " for experiment '" + experiment
                            + "'; it must be >= 0");
        }
    }

    static void checkExamples(int examples, String experiment) {
        if (examples < 1) {
            throw new IllegalArgumentException(
                    "examples is " + examples + " for experiment '" + experiment
                            + "'; it must be >= 1 (1 without down-sampling)");
        }
    }

    /**
     * Checks a non-negative measurement (error, norm). Non-finite values are allowed only on the
     * record that reports divergence.
     */
    static void checkMeasurement(
            String field, double value, boolean diverged, String experiment, long index) {
        if (diverged) {
            return;
        }
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(
                    field + " is " + value + " for experiment '" + experiment + "' at index "
                            + index + "; it must be finite and >= 0, or the record must have"
                            + " diverged=true");
        }
    }

    /** Checks an accuracy: NaN (regression) or a fraction in [0, 1]. */
    static void checkAccuracy(double accuracy, String experiment, long index) {
        if (Double.isNaN(accuracy)) {
            return;
        }
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException(
                    "accuracy is " + accuracy + " for experiment '" + experiment + "' at index "
                            + index + "; it must be in [0, 1], or NaN for regression");
        }
    }
}
