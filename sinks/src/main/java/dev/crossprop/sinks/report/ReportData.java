package dev.crossprop.sinks.report;

import dev.crossprop.sinks.report.ExperimentStats.Metric;
import java.util.List;
import java.util.Map;

/**
 * Everything the report draws and tabulates, computed from one results folder.
 *
 * @param name experiment name: the manifest's, else the results folder's name
 * @param taskTitle task name for titles, for example {@code GEOFF}
 * @param classification true for classification (cross-entropy and accuracy), false for regression
 * @param layout stages and bins
 * @param learners learners in display order: the manifest's order, then others sorted by label
 * @param runCount number of distinct runs in the results
 * @param curves curves per metric; accuracy only for classification
 * @param rows summary rows, per learner and stage
 * @param notes what the reader should know: inferred values, divergences, skipped records
 * @param manifest the manifest, or null when the folder has none
 * @param errorRecords error records read
 * @param normRecords weight-norm records read
 */
record ReportData(
        String name,
        String taskTitle,
        boolean classification,
        StageLayout layout,
        List<LearnerInfo> learners,
        int runCount,
        Map<Metric, List<Curve>> curves,
        List<SummaryRow> rows,
        List<String> notes,
        Manifest manifest,
        long errorRecords,
        long normRecords) {

    /** Returns the name of the error measure with its unit, for axis labels and titles. */
    String errorLabel() {
        return classification ? "cross-entropy (nats)" : "squared error";
    }
}
