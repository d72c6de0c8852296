package dev.crossprop.sinks.records;

/**
 * The error of one experiment (a run and learner pair) on one example, or on a window of examples
 * when the job down-samples its output.
 *
 * <p>The error is measured with the weights from before the update, so it is the online
 * (prequential) error: the squared error {@code sum_k delta_k^2} for regression, the cross-entropy
 * {@code -log p_label} in nats for classification. Under down-sampling by mean, {@code error} and
 * {@code accuracy} are means over the {@code examples} examples of the window, and {@code index}
 * is the window's last example.
 *
 * <p>Every field is a primitive or a String, so Flink serializes the record as a POJO without a
 * Kryo fallback. The constructor rejects values that no learner can produce; non-finite values are
 * accepted only when {@code diverged} is true.
 *
 * @param experiment experiment id, {@code run + "/" + learner} by convention
 * @param run run id, for example {@code geoff-seed-7}
 * @param learner learner label, for example {@code crossprop-eta0}
 * @param task task letter of the example (for plotting only), empty when the source sent none
 * @param index example index in the run (the last one of a window), from 0
 * @param step the learner's step count after the update
 * @param error squared error or cross-entropy before the update; may be non-finite only when
 *     {@code diverged}
 * @param accuracy NaN for regression; for classification 1.0 or 0.0 for one example (argmax p was
 *     the label), or the fraction correct over a window
 * @param examples number of examples this record summarizes, 1 without down-sampling
 * @param diverged true on the single record where the learner's error or weights became
 *     non-finite; no records follow it for the experiment
 */
public record ErrorRecord(
        String experiment,
        String run,
        String learner,
        String task,
        long index,
        long step,
        double error,
        double accuracy,
        int examples,
        boolean diverged) {

    public ErrorRecord {
        RecordChecks.checkText("experiment", experiment, false);
        RecordChecks.checkText("run", run, false);
        RecordChecks.checkText("learner", learner, false);
        RecordChecks.checkText("task", task, true);
        RecordChecks.checkNonNegative("index", index, experiment);
        RecordChecks.checkNonNegative("step", step, experiment);
        RecordChecks.checkMeasurement("error", error, diverged, experiment, index);
        RecordChecks.checkAccuracy(accuracy, experiment, index);
        RecordChecks.checkExamples(examples, experiment);
    }

    /** Returns whether this record comes from a classification task (accuracy is not NaN). */
    public boolean isClassification() {
        return !Double.isNaN(accuracy);
    }
}
