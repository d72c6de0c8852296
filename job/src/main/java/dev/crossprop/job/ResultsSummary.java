package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The short summary that {@code local} prints when a run ends: per learner, the mean error over
 * the last 10% of each stage (all runs pooled) and the final U and W change averaged over runs.
 */
public final class ResultsSummary {

    private final ExperimentConfig config;
    private final List<TaskSpec.Stage> stages;
    private final Map<String, double[]> errorSums = new HashMap<>();
    private final Map<String, long[]> errorCounts = new HashMap<>();
    private final Map<String, NormRecord> lastNorms = new HashMap<>();
    private long errorRecords;

    private ResultsSummary(ExperimentConfig config) {
        this.config = config;
        this.stages = config.task().stages();
    }

    /** Reads the CSV results under {@code resultsDir} and returns the summary. */
    public static ResultsSummary read(ExperimentConfig config, Path resultsDir) throws IOException {
        ResultsSummary summary = new ResultsSummary(config);
        forEachLine(resultsDir.resolve("errors"), line -> summary.addError(RecordCsv.parseError(line)));
        forEachLine(resultsDir.resolve("norms"), line -> summary.addNorm(RecordCsv.parseNorm(line)));
        return summary;
    }

    public long errorRecords() {
        return errorRecords;
    }

    private void addError(ErrorRecord record) {
        errorRecords++;
        for (int s = 0; s < stages.size(); s++) {
            TaskSpec.Stage stage = stages.get(s);
            long length = stage.lastIndex() - stage.firstIndex() + 1;
            long tailStart = stage.lastIndex() + 1 - Math.max(1, length / 10);
            if (record.index() >= tailStart && record.index() <= stage.lastIndex() && Double.isFinite(record.error())) {
                errorSums.computeIfAbsent(record.learner(), k -> new double[stages.size()])[s] += record.error();
                errorCounts.computeIfAbsent(record.learner(), k -> new long[stages.size()])[s]++;
            }
        }
    }

    private void addNorm(NormRecord record) {
        lastNorms.merge(record.experiment(), record, (a, b) -> a.index() >= b.index() ? a : b);
    }

    /** Prints one line per learner: the stage means, then the final norms. */
    public void print(PrintStream out) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-28s", "learner"));
        for (int s = 0; s < stages.size(); s++) {
            header.append(String.format(Locale.ROOT, " %10s", "stage " + (s + 1) + " " + stages.get(s).task()));
        }
        header.append(String.format(Locale.ROOT, " %10s %10s", "|U-U0|", "|W-W0|"));
        out.println("Mean error over the last 10% of each stage, and the final weight change (means over runs):");
        out.println(header);
        for (LearnerSpec learner : config.learners()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", learner.label()));
            double[] sums = errorSums.get(learner.label());
            long[] counts = errorCounts.get(learner.label());
            for (int s = 0; s < stages.size(); s++) {
                String cell = counts == null || counts[s] == 0 ? "-" : format(sums[s] / counts[s]);
                line.append(String.format(Locale.ROOT, " %10s", cell));
            }
            List<NormRecord> finals = lastNorms.values().stream()
                    .filter(n -> n.learner().equals(learner.label()))
                    .collect(Collectors.toList());
            double u = finals.stream().mapToDouble(NormRecord::uChange).average().orElse(Double.NaN);
            double w = finals.stream().mapToDouble(NormRecord::wChange).average().orElse(Double.NaN);
            line.append(String.format(Locale.ROOT, " %10s %10s", format(u), format(w)));
            if (finals.stream().anyMatch(NormRecord::diverged)) {
                line.append("  (diverged in ").append(finals.stream().filter(NormRecord::diverged).count()).append(" runs)");
            }
            out.println(line);
        }
    }

    private static String format(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4g", value) : "-";
    }

    /** Calls {@code action} on every data line of the visible CSV part files under {@code dir}. */
    static void forEachLine(Path dir, Consumer<String> action) throws IOException {
        forEachFile(dir, ".csv", true, action);
    }

    /**
     * Calls {@code action} on every line of the visible part files under {@code dir} whose names
     * end with {@code suffix}, skipping each file's first line when {@code hasHeader}. Hidden
     * files (in-progress parts, whose names start with a dot) are skipped.
     */
    static void forEachFile(Path dir, String suffix, boolean hasHeader, Consumer<String> action) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .forEach(files::add);
        }
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                if (hasHeader) {
                    reader.readLine();
                }
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isEmpty()) {
                        action.accept(line);
                    }
                }
            }
        }
    }
}
