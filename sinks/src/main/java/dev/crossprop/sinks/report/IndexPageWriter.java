package dev.crossprop.sinks.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crossprop.sinks.report.FigureWriter.Figure;
import dev.crossprop.sinks.report.SummaryWriter.TextTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code index.html}: one self-contained page (inline style, no scripts, no external
 * resources) with the configuration summary, the notes, the figures by relative link and the
 * summary tables. The page stays valid when the output folder is moved or copied as a whole.
 */
final class IndexPageWriter {

    /** Runs listed by id before the list is cut short. */
    private static final int MAX_RUNS_LISTED = 12;

    private static final ObjectMapper PRETTY =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String STYLE =
            """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
                   max-width: 1260px; padding: 0 1em; color: #222; line-height: 1.45; }
            h1 { margin-bottom: 0.2em; }
            table { border-collapse: collapse; margin: 0.8em 0 1.6em; font-size: 0.92em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
            th { background: #f2f2f2; text-align: left; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            figure { margin: 1.2em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
            figcaption { color: #555; font-size: 0.95em; }
            dl.config { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
            dl.config dt { font-weight: 600; }
            dl.config dd { margin: 0; }
            .notes { background: #fff8e5; border-left: 4px solid #e6a800; padding: 0.4em 1em; }
            pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; }
            """;

    private IndexPageWriter() {}

    static void write(ReportData data, List<Figure> figures, Path file) throws IOException {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.append("<title>").append(escape(data.name())).append(" – crossprop report</title>\n");
        html.append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(escape(data.name())).append("</h1>\n");
        html.append("<p>").append(escape(SummaryWriter.description(data))).append("</p>\n");

        appendConfiguration(html, data);
        appendNotes(html, data.notes());

        html.append("<h2>Figures</h2>\n");
        for (Figure figure : figures) {
            html.append("<figure>\n<a href=\"").append(escape(figure.fileName())).append("\">")
                    .append("<img src=\"").append(escape(figure.fileName()))
                    .append("\" width=\"").append(FigureWriter.WIDTH)
                    .append("\" height=\"").append(FigureWriter.HEIGHT)
                    .append("\" alt=\"").append(escape(figure.caption())).append("\"></a>\n")
                    .append("<figcaption>").append(escape(figure.caption()))
                    .append(" File: ").append(escape(figure.fileName()))
                    .append("</figcaption>\n</figure>\n");
        }

        for (TextTable table : SummaryWriter.tables(data)) {
            html.append("<h2>").append(escape(table.title())).append("</h2>\n");
            appendTable(html, table);
        }
        html.append("<p>The same numbers at full precision: <a href=\"summary.csv\">summary.csv</a>;"
                + " as Markdown: <a href=\"summary.md\">summary.md</a>. Read ")
                .append(data.errorRecords()).append(" error records and ")
                .append(data.normRecords()).append(" weight-norm records.</p>\n");
        html.append("</body>\n</html>\n");
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static void appendConfiguration(StringBuilder html, ReportData data) {
        Manifest manifest = data.manifest();
        html.append("<h2>Configuration</h2>\n<dl class=\"config\">\n");
        if (manifest != null && manifest.codeVersion() != null) {
            definition(html, "code version", manifest.codeVersion());
        }
        definition(html, "task", data.taskTitle() + ", "
                + (data.classification() ? "classification" : "regression"));
        StringBuilder stages = new StringBuilder();
        for (Stage stage : data.layout().stages()) {
            if (!stages.isEmpty()) {
                stages.append(", ");
            }
            stages.append(stage.number()).append(": ").append(stage.label()).append(" (")
                    .append(stage.firstIndex()).append("–").append(stage.lastIndex()).append(')');
        }
        definition(html, "stages", stages.toString());
        definition(html, "runs", runsText(data));
        if (manifest != null && manifest.downsamplingMode() != null) {
            definition(html, "down-sampling", manifest.downsamplingMode() + ", "
                    + manifest.downsamplingExamples() + " example(s) per record");
        }
        definition(html, "bin size", data.layout().binSize() + " examples");
        html.append("</dl>\n");

        html.append("<table>\n<tr><th>learner</th><th>kind</th><th>parameters</th></tr>\n");
        for (LearnerInfo learner : data.learners()) {
            html.append("<tr><td>").append(escape(learner.label())).append("</td><td>")
                    .append(escape(learner.kind().id()))
                    .append(learner.kindInferred() ? " (inferred from the label)" : "")
                    .append("</td><td>").append(escape(paramsOf(manifest, learner.label())))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");

        if (manifest != null && manifest.configuration() != null) {
            html.append("<details><summary>Full configuration</summary>\n<pre>");
            try {
                html.append(escape(PRETTY.writeValueAsString(manifest.configuration())));
            } catch (JsonProcessingException e) {
                html.append(escape(manifest.configuration().toString()));
            }
            html.append("</pre></details>\n");
        }
    }

    private static String runsText(ReportData data) {
        Manifest manifest = data.manifest();
        if (manifest == null || manifest.runs().isEmpty()) {
            return data.runCount() + " in the results";
        }
        StringBuilder text = new StringBuilder();
        text.append(data.runCount()).append(" in the results, ").append(manifest.runs().size())
                .append(" in the manifest: ");
        List<Manifest.Run> runs = manifest.runs();
        for (int i = 0; i < Math.min(MAX_RUNS_LISTED, runs.size()); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(runs.get(i).run());
            if (runs.get(i).seed() != null) {
                text.append(" (seed ").append(runs.get(i).seed()).append(')');
            }
        }
        if (runs.size() > MAX_RUNS_LISTED) {
            text.append(", … (").append(runs.size() - MAX_RUNS_LISTED).append(" more)");
        }
        return text.toString();
    }

    private static String paramsOf(Manifest manifest, String label) {
        if (manifest == null) {
            return "";
        }
        for (Manifest.Learner learner : manifest.learners()) {
            if (learner.label().equals(label)) {
                StringBuilder text = new StringBuilder();
                for (Map.Entry<String, String> param : learner.params().entrySet()) {
                    if (!text.isEmpty()) {
                        text.append(", ");
                    }
                    text.append(param.getKey()).append(" = ").append(param.getValue());
                }
                return text.toString();
            }
        }
        return "";
    }

    private static void appendNotes(StringBuilder html, List<String> notes) {
        if (notes.isEmpty()) {
            return;
        }
        html.append("<div class=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        for (String note : notes) {
            html.append("<li>").append(escape(note)).append("</li>\n");
        }
        html.append("</ul>\n</div>\n");
    }

    private static void appendTable(StringBuilder html, TextTable table) {
        html.append("<table>\n<tr>");
        for (String header : table.headers()) {
            html.append("<th>").append(escape(header)).append("</th>");
        }
        html.append("</tr>\n");
        for (List<String> row : table.rows()) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                // The first two columns are names; the rest are numbers or short labels.
                html.append(i < 2 ? "<td>" : "<td class=\"number\">")
                        .append(escape(row.get(i))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void definition(StringBuilder html, String term, String description) {
        html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escape(description))
                .append("</dd>\n");
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
