package dev.crossprop.sinks.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the summary table as {@code summary.csv} (every value at full precision, NaN as an empty
 * field) and {@code summary.md} (rounded to four significant digits, for reading), and builds the
 * same tables for the HTML page.
 */
final class SummaryWriter {

    /** Columns of summary.csv, in order. */
    static final List<String> CSV_COLUMNS =
            List.of(
                    "learner", "kind", "stage", "task", "first_index", "last_index",
                    "tail_first_index", "runs", "error_mean", "error_se", "accuracy_mean",
                    "accuracy_se", "u_change_end", "u_change_end_se", "u_change_during",
                    "u_change_during_se", "w_change_end", "w_change_end_se", "w_change_during",
                    "w_change_during_se", "first_visit_stage", "first_visit_error",
                    "revisit_minus_first", "revisit_minus_first_se", "revisit_runs",
                    "diverged_runs");

    /** A table of formatted cells, rendered as Markdown or HTML. */
    record TextTable(String title, List<String> headers, List<List<String>> rows) {}

    private SummaryWriter() {}

    static void writeCsv(ReportData data, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join(",", CSV_COLUMNS));
            out.write('\n');
            for (SummaryRow row : data.rows()) {
                List<String> cells = new ArrayList<>();
                cells.add(csvText(row.learner().label()));
                cells.add(row.learner().kind().id());
                cells.add(String.valueOf(row.stage().number()));
                cells.add(csvText(row.stage().task()));
                cells.add(String.valueOf(row.stage().firstIndex()));
                cells.add(String.valueOf(row.stage().lastIndex()));
                cells.add(String.valueOf(row.stage().tailFirstIndex()));
                cells.add(String.valueOf(row.error().runs()));
                addEstimate(cells, row.error());
                addEstimate(cells, row.accuracy());
                addEstimate(cells, row.uChangeEnd());
                addEstimate(cells, row.uChangeDuring());
                addEstimate(cells, row.wChangeEnd());
                addEstimate(cells, row.wChangeDuring());
                if (row.isRevisit()) {
                    cells.add(String.valueOf(row.firstVisit().number()));
                    cells.add(csvDouble(row.firstVisitError().mean()));
                    addEstimate(cells, row.revisitMinusFirst());
                    cells.add(String.valueOf(row.revisitMinusFirst().runs()));
                } else {
                    cells.addAll(List.of("", "", "", "", ""));
                }
                cells.add(String.valueOf(row.divergedRuns()));
                out.write(String.join(",", cells));
                out.write('\n');
            }
        }
    }

    static void writeMarkdown(ReportData data, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(data.name()).append(": summary\n\n");
        md.append(description(data)).append("\n\n");
        if (!data.notes().isEmpty()) {
            md.append("## Notes\n\n");
            for (String note : data.notes()) {
                md.append("- ").append(note).append('\n');
            }
            md.append('\n');
        }
        for (TextTable table : tables(data)) {
            md.append("## ").append(table.title()).append("\n\n");
            appendMarkdown(md, table);
            md.append('\n');
        }
        Files.writeString(file, md, StandardCharsets.UTF_8);
    }

    /** Returns the paragraph that describes the tables. */
    static String description(ReportData data) {
        String runs = data.runCount() == 1 ? "1 run" : data.runCount() + " runs";
        return data.taskTitle() + " (" + (data.classification() ? "classification" : "regression")
                + "), " + runs + ", " + data.learners().size() + " learners, "
                + data.layout().stages().size() + " stages. The error is the "
                + data.errorLabel() + " of each example before the update, averaged over the"
                + " last 10% of each stage per run, then over runs (± one standard error:"
                + " sample standard deviation / sqrt(runs)). ‖U − U₀‖ and ‖W − W₀‖ are Frobenius"
                + " norms at the stage's last record; \"during\" is that value minus the one at"
                + " the end of the previous stage (0 before the first stage).";
    }

    /** Returns the tables of the report: per stage, then revisits when a task comes back. */
    static List<TextTable> tables(ReportData data) {
        List<TextTable> tables = new ArrayList<>();
        tables.add(stageTable(data));
        if (data.rows().stream().anyMatch(SummaryRow::isRevisit)) {
            tables.add(revisitTable(data));
        }
        return tables;
    }

    private static TextTable stageTable(ReportData data) {
        List<String> headers = new ArrayList<>(List.of(
                "learner", "kind", "stage", "task", "examples", "runs", "error (last 10%)"));
        if (data.classification()) {
            headers.add("accuracy (last 10%)");
        }
        headers.addAll(List.of(
                "‖U − U₀‖ end", "‖U − U₀‖ during", "‖W − W₀‖ end", "‖W − W₀‖ during",
                "diverged runs"));
        List<List<String>> rows = new ArrayList<>();
        for (SummaryRow row : data.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.learner().label());
            cells.add(row.learner().kind().id());
            cells.add(String.valueOf(row.stage().number()));
            cells.add(row.stage().label());
            cells.add(row.stage().firstIndex() + "–" + row.stage().lastIndex());
            cells.add(String.valueOf(row.error().runs()));
            cells.add(withError(row.error()));
            if (data.classification()) {
                cells.add(withError(row.accuracy()));
            }
            cells.add(number(row.uChangeEnd().mean()));
            cells.add(number(row.uChangeDuring().mean()));
            cells.add(number(row.wChangeEnd().mean()));
            cells.add(number(row.wChangeDuring().mean()));
            cells.add(String.valueOf(row.divergedRuns()));
            rows.add(cells);
        }
        return new TextTable("Error and weight change per stage", headers, rows);
    }

    private static TextTable revisitTable(ReportData data) {
        List<String> headers = List.of(
                "learner", "stage", "task", "first visit", "error, first visit",
                "error, revisit", "revisit − first", "runs");
        List<List<String>> rows = new ArrayList<>();
        for (SummaryRow row : data.rows()) {
            if (!row.isRevisit()) {
                continue;
            }
            rows.add(List.of(
                    row.learner().label(),
                    String.valueOf(row.stage().number()),
                    row.stage().label(),
                    "stage " + row.firstVisit().number(),
                    number(row.firstVisitError().mean()),
                    number(row.error().mean()),
                    withError(row.revisitMinusFirst()),
                    String.valueOf(row.revisitMinusFirst().runs())));
        }
        return new TextTable(
                "Revisited tasks: error on the last 10% of each visit", headers, rows);
    }

    private static void appendMarkdown(StringBuilder md, TextTable table) {
        md.append("| ").append(String.join(" | ", escapeMarkdown(table.headers()))).append(" |\n");
        md.append('|');
        for (int i = 0; i < table.headers().size(); i++) {
            // Learner names and labels align left, numbers right.
            md.append(i < 2 ? " --- |" : " ---: |");
        }
        md.append('\n');
        for (List<String> row : table.rows()) {
            md.append("| ").append(String.join(" | ", escapeMarkdown(row))).append(" |\n");
        }
    }

    private static List<String> escapeMarkdown(List<String> cells) {
        return cells.stream().map(cell -> cell.replace("|", "\\|")).toList();
    }

    /**
     * Formats a mean with its standard error, for example {@code 0.1234 ± 0.0056}: the mean to four
     * significant digits, the error to two.
     */
    static String withError(Estimate estimate) {
        if (Double.isNaN(estimate.standardError())) {
            return number(estimate.mean());
        }
        return number(estimate.mean()) + " ± " + number(estimate.standardError(), 2);
    }

    /** Formats a number to four significant digits, or "n/a" for NaN. */
    static String number(double value) {
        return number(value, 4);
    }

    private static String number(double value, int digits) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (value == 0 || (magnitude >= 1e-3 && magnitude < 1e5)) {
            return new BigDecimal(value)
                    .round(new MathContext(digits))
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%." + (digits - 1) + "e", value);
    }

    private static void addEstimate(List<String> cells, Estimate estimate) {
        cells.add(csvDouble(estimate.mean()));
        cells.add(csvDouble(estimate.standardError()));
    }

    private static String csvDouble(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "";
    }

    /** Quotes a text cell as RFC 4180 describes when it contains a comma, quote or line break. */
    private static String csvText(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
