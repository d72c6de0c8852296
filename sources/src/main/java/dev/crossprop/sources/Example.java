package dev.crossprop.sources;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training example of a run: the inputs x and either regression targets y or a class label.
 *
 * <p>An example belongs to a run (the ordered stream of examples that one learner receives) and
 * carries its position in that run, {@code index}, counted 0, 1, 2, ... The task name is for
 * plotting only: learners never read it.
 *
 * <p>Instances are immutable by contract, not by copying. The factories keep the given arrays and
 * the accessors return them without a copy, because examples are created and read once per record
 * on the hot path. Callers must not modify an array after passing it in or after reading it out.
 *
 * <p>The factories check only structure (no nulls, a non-empty run id). Value checks such as finite
 * inputs or a non-negative index belong to {@link ExampleValidator}, so that decoders can build an
 * invalid example and report why it is invalid.
 */
public final class Example implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The label of a regression example. */
    public static final int NO_LABEL = -1;

    private final String run;
    private final long index;
    private final String task;
    private final double[] x;
    private final double[] y;
    private final int label;

    private Example(String run, long index, String task, double[] x, double[] y, int label) {
        this.run = Objects.requireNonNull(run, "run");
        if (run.isEmpty()) {
            throw new IllegalArgumentException(
                    "Run id is empty; give every example the id of its run, e.g. geoff-seed-7.");
        }
        this.index = index;
        this.task = Objects.requireNonNull(task, "task");
        this.x = Objects.requireNonNull(x, "x");
        this.y = y;
        this.label = label;
    }

    /** Creates a regression example. The arrays are kept, not copied. */
    public static Example regression(String run, long index, String task, double[] x, double[] y) {
        return new Example(run, index, task, x, Objects.requireNonNull(y, "y"), NO_LABEL);
    }

    /** Creates a classification example. The array is kept, not copied. */
    public static Example classification(
            String run, long index, String task, double[] x, int label) {
        return new Example(run, index, task, x, null, label);
    }

    /** Returns the run id, which is also the Kafka record key. */
    public String run() {
        return run;
    }

    /** Returns the position of this example in its run, starting at 0. */
    public long index() {
        return index;
    }

    /** Returns the task name, for plotting only. */
    public String task() {
        return task;
    }

    /** Returns the inputs without a copy; do not modify the array. */
    public double[] x() {
        return x;
    }

    /** Returns the regression targets without a copy, or null for classification. */
    public double[] y() {
        return y;
    }

    /** Returns the class label, or {@link #NO_LABEL} for regression. */
    public int label() {
        return label;
    }

    /** Returns true for a classification example, false for a regression example. */
    public boolean isClassification() {
        return y == null;
    }

    /**
     * Compares all fields; arrays are compared bit for bit by {@link Arrays#equals(double[],
     * double[])}, so 0.0 and -0.0 differ.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Example that)) {
            return false;
        }
        return index == that.index
                && label == that.label
                && run.equals(that.run)
                && task.equals(that.task)
                && Arrays.equals(x, that.x)
                && Arrays.equals(y, that.y);
    }

    @Override
    public int hashCode() {
        int result = Objects.hash(run, index, task, label);
        result = 31 * result + Arrays.hashCode(x);
        result = 31 * result + Arrays.hashCode(y);
        return result;
    }

    /** Returns a short description with the sizes of the arrays, not their contents. */
    @Override
    public String toString() {
        String target =
                isClassification()
                        ? "label=" + label
                        : (y.length == 1 ? "y=" + y[0] : "targets=" + y.length);
        return "Example{run="
                + run
                + ", index="
                + index
                + ", task="
                + task
                + ", inputs="
                + x.length
                + ", "
                + target
                + "}";
    }
}
