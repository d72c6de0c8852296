package dev.crossprop.sinks.report;

/**
 * One row of the summary table: one learner on one stage, each value averaged per run first and
 * then over runs.
 *
 * @param learner the learner
 * @param stage the stage
 * @param error error over the stage's last 10% ({@link Stage#tailFirstIndex()} to its end)
 * @param accuracy accuracy over the same examples; {@link Estimate#NONE} for regression
 * @param uChangeEnd norm of {@code U - U0} at the stage's last record
 * @param uChangeDuring change of that norm during the stage: its value at the stage's end minus
 *     its value at the previous stage's end (0 before the first stage)
 * @param wChangeEnd norm of {@code W - W0} at the stage's last record
 * @param wChangeDuring change of that norm during the stage, as for U
 * @param firstVisit the earlier stage with the same task letter, or null when this stage is the
 *     task's first visit
 * @param firstVisitError error over the first visit's last 10%, or null
 * @param revisitMinusFirst per-run difference between this stage's error and the first visit's,
 *     averaged over runs that have both. Null when this stage is a first visit.
 * @param divergedRuns runs of the learner that had diverged by the end of the stage
 */
record SummaryRow(
        LearnerInfo learner,
        Stage stage,
        Estimate error,
        Estimate accuracy,
        Estimate uChangeEnd,
        Estimate uChangeDuring,
        Estimate wChangeEnd,
        Estimate wChangeDuring,
        Stage firstVisit,
        Estimate firstVisitError,
        Estimate revisitMinusFirst,
        int divergedRuns) {

    boolean isRevisit() {
        return firstVisit != null;
    }
}
