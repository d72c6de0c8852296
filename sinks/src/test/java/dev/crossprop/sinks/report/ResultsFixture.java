package dev.crossprop.sinks.report;

import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small hand-made results folder: learners crossprop-eta0 and backprop-sgd, runs r1 and r2,
 * stages A (indexes 0-9), B (10-19) and A again (20-29), one record per example.
 *
 * <p>The values follow formulas simple enough to average by hand:
 *
 * <ul>
 *   <li>error = f * (g + h * i), with f = 1 for crossprop-eta0 and 2 for backprop-sgd, and g = 0,
 *       h = 1 for r1, g = 4, h = 2 for r2;
 *   <li>u_change = fu * h * (i + 1) / 10, with fu = 1 for crossprop-eta0 and 3 for backprop-sgd;
 *   <li>w_change = fw * h * (i + 1)^2 / 100, with fw = 2 for crossprop-eta0 and 1 for
 *       backprop-sgd.
 * </ul>
 *
 * Run r1 goes to one bucket folder and r2 to another, r2's norms in reverse index order, and a
 * hidden in-progress file with garbage sits beside them, as Flink's file sink leaves them.
 */
final class ResultsFixture {

    static final String CROSSPROP = "crossprop-eta0";
    static final String BACKPROP = "backprop-sgd";
    static final String[] TASKS = {"A", "B", "A"};
    static final int STAGE_LENGTH = 10;

    private ResultsFixture() {}

    static double error(String learner, String run, long i) {
        double f = learner.equals(CROSSPROP) ? 1 : 2;
        double g = run.equals("r1") ? 0 : 4;
        return f * (g + h(run) * i);
    }

    static double uChange(String learner, String run, long i) {
        double fu = learner.equals(CROSSPROP) ? 1 : 3;
        return fu * h(run) * (i + 1) / 10;
    }

    static double wChange(String learner, String run, long i) {
        double fw = learner.equals(CROSSPROP) ? 2 : 1;
        return fw * h(run) * (i + 1) * (i + 1) / 100;
    }

    private static double h(String run) {
        return run.equals("r1") ? 1 : 2;
    }

    /** Writes the folder with a manifest. */
    static Path write(Path root) throws IOException {
        writeResults(root);
        Files.writeString(root.resolve("manifest.json"), MANIFEST, StandardCharsets.UTF_8);
        return root;
    }

    /** Writes the error and norm files only. */
    static Path writeResults(Path root) throws IOException {
        for (String run : List.of("r1", "r2")) {
            Path errors = Files.createDirectories(root.resolve("errors/bucket-" + run));
            Path norms = Files.createDirectories(root.resolve("norms/bucket-" + run));
            List<String> errorLines = new ArrayList<>();
            List<String> normLines = new ArrayList<>();
            for (String learner : List.of(CROSSPROP, BACKPROP)) {
                for (long i = 0; i < TASKS.length * STAGE_LENGTH; i++) {
                    String task = TASKS[(int) (i / STAGE_LENGTH)];
                    String experiment = run + "/" + learner;
                    errorLines.add(RecordCsv.toCsv(new ErrorRecord(experiment, run, learner, task, i,
                            i + 1, error(learner, run, i), Double.NaN, 1, false)));
                    normLines.add(RecordCsv.toCsv(new NormRecord(experiment, run, learner, task, i,
                            i + 1, uChange(learner, run, i), wChange(learner, run, i), 1, false)));
                }
            }
            if (run.equals("r2")) {
                Collections.reverse(normLines);
            }
            writeCsv(errors.resolve("part-" + run + "-0.csv"), RecordCsv.ERROR_HEADER, errorLines);
            writeCsv(norms.resolve("part-" + run + "-0.csv"), RecordCsv.NORM_HEADER, normLines);
        }
        Files.writeString(root.resolve("errors/bucket-r1/.part-r1-1.csv.inprogress.0"), "garbage,\n");
        Files.writeString(root.resolve("norms/.hidden.csv"), "garbage,\n");
        return root;
    }

    static void writeCsv(Path file, String header, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder(header).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static final String MANIFEST =
            """
            {
              "name": "fixture-quick",
              "code_version": "0.1.0-SNAPSHOT",
              "task": {"kind": "geoff", "output": "regression"},
              "stages": [
                {"task": "A", "first_index": 0, "last_index": 9},
                {"task": "B", "first_index": 10, "last_index": 19},
                {"task": "A", "first_index": 20, "last_index": 29}
              ],
              "runs": [{"run": "r1", "seed": 1}, {"run": "r2", "seed": 2}],
              "learners": [
                {"label": "crossprop-eta0", "kind": "crossprop", "params": {"step_size_u": 0.0005, "eta": 0.0}},
                {"label": "backprop-sgd", "kind": "backprop", "params": {"step_size": 0.0005}}
              ],
              "downsampling": {"mode": "none", "n": 1},
              "configuration": {"task": {"kind": "geoff", "inputs": 20}, "note": "<b>escaped</b>"},
              "written_by": "a field the report does not know"
            }
            """;
}
