package dev.crossprop.sinks.records;

/**
 * How far one experiment's weights have moved from their initial values, after the update on one
 * example.
 *
 * <p>{@code uChange} is the Frobenius norm of {@code U_t - U_0} (input-to-hidden weights) and
 * {@code wChange} that of {@code W_t - W_0} (hidden-to-output weights), biases excluded. The
 * official crossprop code tracks the squared values, which {@link #uChangeSquared()} and {@link
 * #wChangeSquared()} derive. Under down-sampling the norms are those at the window's last example,
 * which is {@code index}.
 *
 * <p>Every field is a primitive or a String, so Flink serializes the record as a POJO. The
 * constructor rejects negative or non-finite norms unless {@code diverged} is true.
 *
 * @param experiment experiment id, {@code run + "/" + learner} by convention
 * @param run run id
 * @param learner learner label
 * @param task task letter of the example, empty when the source sent none
 * @param index example index in the run (the last one of a window), from 0
 * @param step the learner's step count after the update
 * @param uChange Frobenius norm of {@code U - U0} after the update
 * @param wChange Frobenius norm of {@code W - W0} after the update
 * @param examples number of examples this record summarizes, 1 without down-sampling
 * @param diverged true on the single record where the learner's error or weights became
 *     non-finite; no records follow it for the experiment
 */
public record NormRecord(
        String experiment,
        String run,
        String learner,
        String task,
        long index,
        long step,
        double uChange,
        double wChange,
        int examples,
        boolean diverged) {

    public NormRecord {
        RecordChecks.checkText("experiment", experiment, false);
        RecordChecks.checkText("run", run, false);
        RecordChecks.checkText("learner", learner, false);
        RecordChecks.checkText("task", task, true);
        RecordChecks.checkNonNegative("index", index, experiment);
        RecordChecks.checkNonNegative("step", step, experiment);
        RecordChecks.checkMeasurement("uChange", uChange, diverged, experiment, index);
        RecordChecks.checkMeasurement("wChange", wChange, diverged, experiment, index);
        RecordChecks.checkExamples(examples, experiment);
    }

    /** Returns the squared Frobenius norm of {@code U - U0}, {@code uChange * uChange}. */
    public double uChangeSquared() {
        return uChange * uChange;
    }

    /** Returns the squared Frobenius norm of {@code W - W0}, {@code wChange * wChange}. */
    public double wChangeSquared() {
        return wChange * wChange;
    }
}
