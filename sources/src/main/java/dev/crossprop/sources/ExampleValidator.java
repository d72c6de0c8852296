package dev.crossprop.sources;

import java.io.Serializable;

/**
 * Checks that an example fits the learners of a stream: the input count, the regression target
 * count or the label range, finite values, and a non-negative index.
 *
 * <p>A validator is for either regression ({@code targets > 0}, {@code classes == 0}) or
 * classification ({@code classes > 0}, {@code targets == 0}). It keeps no state per run, so order
 * checks ({@link InvalidReason#DUPLICATE_INDEX}, {@link InvalidReason#OUT_OF_ORDER_INDEX}) are left
 * to the consumer that keeps the last index per run. Instances are immutable and thread-safe.
 */
public final class ExampleValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int inputs;
    private final int targets;
    private final int classes;

    /**
     * Creates a validator.
     *
     * @param inputs the input count m, at least 1
     * @param targets the regression target count k, or 0 for classification
     * @param classes the number of classes, labels being 0 to classes - 1, or 0 for regression
     * @throws IllegalArgumentException if a count is negative or not exactly one of targets and
     *     classes is positive
     */
    public ExampleValidator(int inputs, int targets, int classes) {
        if (inputs < 1) {
            throw new IllegalArgumentException(
                    "Input count is " + inputs + " but must be at least 1.");
        }
        if (targets < 0 || classes < 0 || (targets > 0) == (classes > 0)) {
            throw new IllegalArgumentException(
                    "Target count is "
                            + targets
                            + " and class count is "
                            + classes
                            + "; set exactly one of them above 0 (targets for regression,"
                            + " classes for classification) and the other to 0.");
        }
        this.inputs = inputs;
        this.targets = targets;
        this.classes = classes;
    }

    /** Returns a validator for regression with the given input and target counts. */
    public static ExampleValidator regression(int inputs, int targets) {
        return new ExampleValidator(inputs, targets, 0);
    }

    /** Returns a validator for classification with the given input and class counts. */
    public static ExampleValidator classification(int inputs, int classes) {
        return new ExampleValidator(inputs, 0, classes);
    }

    public int inputs() {
        return inputs;
    }

    public int targets() {
        return targets;
    }

    public int classes() {
        return classes;
    }

    /**
     * Checks one example.
     *
     * @throws InvalidExampleException naming the first rule the example breaks
     */
    public void validate(Example e) throws InvalidExampleException {
        if (e.index() < 0) {
            throw invalid(
                    InvalidReason.NEGATIVE_INDEX,
                    e,
                    "has index " + e.index() + "; number the examples of a run 0, 1, 2, ...");
        }
        if (e.x().length != inputs) {
            throw invalid(
                    InvalidReason.WRONG_INPUT_COUNT,
                    e,
                    "has "
                            + e.x().length
                            + (e.x().length == 1 ? " input" : " inputs")
                            + " but the learners expect "
                            + inputs
                            + "; send exactly "
                            + inputs
                            + " values in x or change the input count of the experiment.");
        }
        checkTargetsOrLabel(e);
        checkFinite(e, e.x(), "x", InvalidReason.NON_FINITE_INPUT);
        if (!e.isClassification()) {
            checkFinite(e, e.y(), "y", InvalidReason.NON_FINITE_TARGET);
        }
    }

    private void checkTargetsOrLabel(Example e) throws InvalidExampleException {
        if (classes > 0) {
            if (!e.isClassification()) {
                throw invalid(
                        InvalidReason.LABEL_OUT_OF_RANGE,
                        e,
                        "is a regression example but the learners classify into "
                                + classes
                                + " classes; send \"label\" in place of \"y\".");
            }
            if (e.label() < 0 || e.label() >= classes) {
                throw invalid(
                        InvalidReason.LABEL_OUT_OF_RANGE,
                        e,
                        "has label "
                                + e.label()
                                + " but labels must be in [0, "
                                + classes
                                + "); fix the label or raise the class count.");
            }
        } else {
            int count = e.isClassification() ? 0 : e.y().length;
            if (count != targets) {
                String what =
                        e.isClassification()
                                ? "is a classification example (label " + e.label() + ")"
                                : "has " + count + " targets";
                throw invalid(
                        InvalidReason.WRONG_TARGET_COUNT,
                        e,
                        what
                                + " but the learners expect "
                                + targets
                                + (targets == 1 ? " regression target" : " regression targets")
                                + " in y; send exactly "
                                + targets
                                + (targets == 1 ? " value" : " values")
                                + " in y or change the output count of the experiment.");
            }
        }
    }

    private static void checkFinite(Example e, double[] values, String field, InvalidReason reason)
            throws InvalidExampleException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw invalid(
                        reason,
                        e,
                        "has "
                                + field
                                + "["
                                + i
                                + "] = "
                                + values[i]
                                + "; every value must be finite, so fix or drop the example at"
                                + " the producer.");
            }
        }
    }

    private static InvalidExampleException invalid(InvalidReason reason, Example e, String text) {
        return new InvalidExampleException(
                reason,
                "Example " + e.run() + "#" + e.index() + " (task " + e.task() + ") " + text);
    }
}
