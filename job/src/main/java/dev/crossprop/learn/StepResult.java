package dev.crossprop.learn;

/**
 * The outcome of one learning step: the error of the prediction made before the update, whether the
 * predicted class was right (classification only), and how far U and W have moved from their
 * initial values after the update.
 *
 * <p>A learner reuses one instance for all its steps, so the values are valid until the learner's
 * next step; copy them out to keep them.
 */
public final class StepResult {
    private long step;
    private double error;
    private boolean hasCorrect;
    private boolean correct;
    private double uChangeSquared;
    private double wChangeSquared;
    private boolean diverged;

    StepResult() {}

    void set(
            long step,
            double error,
            boolean hasCorrect,
            boolean correct,
            double uChangeSquared,
            double wChangeSquared,
            boolean diverged) {
        this.step = step;
        this.error = error;
        this.hasCorrect = hasCorrect;
        this.correct = correct;
        this.uChangeSquared = uChangeSquared;
        this.wChangeSquared = wChangeSquared;
        this.diverged = diverged;
    }

    /** Returns the number of this step, counting from 1 (the learner's step count after it). */
    public long step() {
        return step;
    }

    /**
     * Returns the error before the update: sum_k delta_k^2 for regression, -log p_label for
     * classification. May be NaN or infinite when {@link #diverged()} is true.
     */
    public double error() {
        return error;
    }

    /** Returns whether {@link #correct()} is meaningful, which is so for classification only. */
    public boolean hasCorrect() {
        return hasCorrect;
    }

    /** Returns whether the class with the highest probability was the label (first on ties). */
    public boolean correct() {
        return correct;
    }

    /** Returns the Frobenius norm of U - U0 after the update (the bias b excluded). */
    public double uChange() {
        return Math.sqrt(uChangeSquared);
    }

    /** Returns the Frobenius norm of W - W0 after the update (the bias c excluded). */
    public double wChange() {
        return Math.sqrt(wChangeSquared);
    }

    /** Returns the squared Frobenius norm of U - U0, the value the official code reports. */
    public double uChangeSquared() {
        return uChangeSquared;
    }

    /** Returns the squared Frobenius norm of W - W0. */
    public double wChangeSquared() {
        return wChangeSquared;
    }

    /**
     * Returns whether this step found a non-finite error or weight. The learner then rejects
     * further steps with an IllegalStateException.
     */
    public boolean diverged() {
        return diverged;
    }

    @Override
    public String toString() {
        return "StepResult{step=" + step + ", error=" + error
                + (hasCorrect ? ", correct=" + correct : "")
                + ", uChange=" + uChange() + ", wChange=" + wChange()
                + (diverged ? ", diverged" : "") + "}";
    }
}
