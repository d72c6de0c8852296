package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;
import dev.crossprop.sinks.report.Stage;

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
import java.util.function.ToDoubleBiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The short summary that {@code local} prints when a run ends: per learner, the mean error over
 * the last 10% of each stage (all runs pooled) and the final U and W change averaged over runs;
 * for classification tasks also the fraction of those examples classified correctly.
 *
 * <p>Means are weighted by the examples each record summarizes, so a down-sampled record of 100
 * examples counts 100 times.
 */
public final class ResultsSummary {

    private final ExperimentConfig config;
    private final List<TaskSpec.Stage> stages;
    private final Map<String, StageSums> sumsByLearner = new HashMap<>();
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
        if (!Double.isFinite(record.error())) {
            return;
        }
        for (int s = 0; s < stages.size(); s++) {
            TaskSpec.Stage stage = stages.get(s);
            // The report's definition of a stage's last 10%, so that both print the same figures.
            long tailStart = new Stage(s + 1, stage.task(), stage.firstIndex(), stage.lastIndex()).tailFirstIndex();
            if (record.index() >= tailStart && record.index() <= stage.lastIndex()) {
                sumsByLearner.computeIfAbsent(record.learner(), k -> new StageSums(stages.size())).add(s, record);
            }
        }
    }

    private void addNorm(NormRecord record) {
        lastNorms.merge(record.experiment(), record, (a, b) -> a.index() >= b.index() ? a : b);
    }

    /**
     * Prints one line per learner: the stage means, then the final norms. For classification
     * tasks, a second table gives the fraction classified correctly in each stage's tail.
     */
    public void print(PrintStream out) {
        out.println("Mean error over the last 10% of each stage, and the final weight change (means over runs):");
        out.println(header(true));
        for (LearnerSpec learner : config.learners()) {
            StringBuilder line = stageCells(learner, StageSums::meanError);
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

        if (sumsByLearner.values().stream().noneMatch(StageSums::hasAccuracy)) {
            return;
        }
        out.println("Fraction classified correctly over the last 10% of each stage (all runs):");
        out.println(header(false));
        for (LearnerSpec learner : config.learners()) {
            out.println(stageCells(learner, StageSums::meanAccuracy));
        }
    }

    /** Starts a table line: the learner's label, then one mean per stage, "-" where it has none. */
    private StringBuilder stageCells(LearnerSpec learner, ToDoubleBiFunction<StageSums, Integer> mean) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", learner.label()));
        StageSums sums = sumsByLearner.get(learner.label());
        for (int s = 0; s < stages.size(); s++) {
            String cell = sums == null ? "-" : format(mean.applyAsDouble(sums, s));
            line.append(String.format(Locale.ROOT, " %10s", cell));
        }
        return line;
    }

    private String header(boolean withNorms) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-28s", "learner"));
        for (int s = 0; s < stages.size(); s++) {
            header.append(String.format(Locale.ROOT, " %10s", "stage " + (s + 1) + " " + stages.get(s).task()));
        }
        if (withNorms) {
            header.append(String.format(Locale.ROOT, " %10s %10s", "|U-U0|", "|W-W0|"));
        }
        return header.toString();
    }

    /** Example-weighted sums of one learner's error and accuracy in each stage's tail. */
    private static final class StageSums {
        private final double[] error;
        private final long[] errorExamples;
        private final double[] correct;
        private final long[] accuracyExamples;

        StageSums(int stages) {
            error = new double[stages];
            errorExamples = new long[stages];
            correct = new double[stages];
            accuracyExamples = new long[stages];
        }

        void add(int stage, ErrorRecord record) {
            error[stage] += record.error() * record.examples();
            errorExamples[stage] += record.examples();
            if (record.isClassification()) {
                correct[stage] += record.accuracy() * record.examples();
                accuracyExamples[stage] += record.examples();
            }
        }

        boolean hasAccuracy() {
            for (long examples : accuracyExamples) {
                if (examples > 0) {
                    return true;
                }
            }
            return false;
        }

        double meanError(int stage) {
            return errorExamples[stage] == 0 ? Double.NaN : error[stage] / errorExamples[stage];
        }

        double meanAccuracy(int stage) {
            return accuracyExamples[stage] == 0 ? Double.NaN : correct[stage] / accuracyExamples[stage];
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
