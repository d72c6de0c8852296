package dev.crossprop.sinks.report;

import dev.crossprop.sinks.report.FigureWriter.Figure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code report} command: reads a results folder written by the job and writes learning-curve
 * and weight-change figures, a summary table and an HTML page that shows both.
 *
 * <p>Exit codes: 0 on success, 2 for a usage error or results that cannot be read (the message on
 * stderr names the folder, file and line), 1 when writing the output fails.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Draw figures and tables from a results folder written by the job.",
            "Writes figure-1-error.png (and figure-1-accuracy.png for classification),"
                    + " figure-2-u-change.png, figure-3-w-change.png, summary.md, summary.csv"
                    + " and index.html."
        },
        exitCodeOnInvalidInput = ReportCommand.EXIT_INVALID_INPUT)
public final class ReportCommand implements Callable<Integer> {

    /** Exit code for usage errors and unreadable results. */
    public static final int EXIT_INVALID_INPUT = 2;

    /** Exit code when the output cannot be written. */
    public static final int EXIT_OUTPUT_FAILED = 1;

    @Parameters(
            index = "0",
            paramLabel = "RESULTS_DIR",
            description = "Results folder with errors/, norms/ and, optionally, manifest.json.")
    private Path resultsDir;

    @Option(
            names = "--bin",
            paramLabel = "N",
            description = "Examples per point of the curves, >= 1."
                    + " Default: the shortest stage's length / 50, rounded, at least 1.")
    private Integer bin;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Output folder, created if missing. Default: RESULTS_DIR/report.")
    private Path out;

    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        if (bin != null && bin < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--bin': " + bin + " is below 1; pass a number of"
                            + " examples per bin >= 1, or leave it out for the default");
        }
        PrintWriter err = spec.commandLine().getErr();
        ReportData data;
        try {
            data = ReportReader.read(resultsDir, bin);
        } catch (InvalidResultsException e) {
            err.println("report: " + e.getMessage());
            err.flush();
            return EXIT_INVALID_INPUT;
        }

        Path outDir = out != null ? out : resultsDir.resolve("report");
        List<Figure> figures;
        try {
            Files.createDirectories(outDir);
            figures = FigureWriter.writeAll(data, outDir);
            SummaryWriter.writeCsv(data, outDir.resolve("summary.csv"));
            SummaryWriter.writeMarkdown(data, outDir.resolve("summary.md"));
            IndexPageWriter.write(data, figures, outDir.resolve("index.html"));
        } catch (IOException e) {
            err.println("report: writing the report to " + outDir + " failed: " + e
                    + ". Check that the folder is writable, or pass another one with --out");
            err.flush();
            return EXIT_OUTPUT_FAILED;
        }

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(
                "Read %d error and %d weight-norm records of %d learners and %d runs from %s.%n",
                data.errorRecords(), data.normRecords(), data.learners().size(), data.runCount(),
                resultsDir);
        for (String note : data.notes()) {
            stdout.println("Note: " + note);
        }
        stdout.println("Wrote " + outDir.resolve("index.html") + " with " + figures.size()
                + " figures, summary.md and summary.csv.");
        stdout.flush();
        return 0;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new ReportCommand()).execute(args));
    }
}
