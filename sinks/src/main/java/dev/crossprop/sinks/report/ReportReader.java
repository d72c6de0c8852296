package dev.crossprop.sinks.report;

import dev.crossprop.sinks.records.RecordCsv;
import dev.crossprop.sinks.report.ExperimentStats.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a results folder into {@link ReportData}: the manifest if there is one, then the error and
 * weight-norm CSV files, streamed once each (twice for the error files when the stages must be
 * inferred). What the manifest does not give is inferred from the data and reported in the notes.
 */
final class ReportReader {

    private ReportReader() {}

    /**
     * Reads and aggregates a results folder.
     *
     * @param binSize examples per bin, or null for {@link StageLayout#defaultBinSize}
     * @throws InvalidResultsException if a folder, file or line cannot be used
     */
    static ReportData read(Path resultsDir, Integer binSize) {
        ResultsFolder folder = ResultsFolder.open(resultsDir);
        Manifest manifest = folder.manifestFile().map(Manifest::read).orElse(null);
        List<String> notes = new ArrayList<>();
        if (manifest == null) {
            notes.add("No manifest.json in " + resultsDir
                    + ": stages, learner kinds and the task type were inferred from the results.");
        }

        List<Stage> stages = stagesOf(folder, manifest, notes);
        int bin = binSize != null ? binSize : StageLayout.defaultBinSize(stages);
        ResultsAggregator aggregator = new ResultsAggregator(new StageLayout(stages, bin));
        long errors = ResultsScanner.scan(
                folder.errorFiles(), RecordCsv.ERROR_HEADER, RecordCsv::parseError,
                aggregator::addError);
        checkNotEmpty(errors, folder.errorFiles(), folder.root().resolve(ResultsFolder.ERRORS));
        long norms = ResultsScanner.scan(
                folder.normFiles(), RecordCsv.NORM_HEADER, RecordCsv::parseNorm,
                aggregator::addNorm);
        checkNotEmpty(norms, folder.normFiles(), folder.root().resolve(ResultsFolder.NORMS));

        List<LearnerInfo> learners = learnersOf(manifest, aggregator, notes);
        boolean classification = isClassification(manifest, aggregator, notes);
        addDataNotes(manifest, aggregator, notes);

        Map<Metric, List<Curve>> curves = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            if (metric != Metric.ACCURACY || classification) {
                curves.put(metric, Curve.build(aggregator, learners, metric));
            }
        }
        return new ReportData(
                nameOf(manifest, resultsDir),
                taskTitleOf(manifest, resultsDir),
                classification,
                aggregator.layout(),
                learners,
                runCount(aggregator),
                curves,
                SummaryTable.build(aggregator, learners),
                List.copyOf(notes),
                manifest,
                aggregator.errorRecords(),
                aggregator.normRecords());
    }

    private static void checkNotEmpty(long records, List<Path> files, Path folder) {
        if (records == 0) {
            throw new InvalidResultsException(
                    "the " + files.size() + " CSV file(s) below " + folder + " contain only header"
                            + " rows, so there is nothing to report; check that the job finished");
        }
    }

    private static List<Stage> stagesOf(ResultsFolder folder, Manifest manifest, List<String> notes) {
        if (manifest != null && !manifest.stages().isEmpty()) {
            return manifest.stages();
        }
        if (manifest != null) {
            notes.add("manifest.json lists no stages, so they were inferred from the results.");
        }
        StageInference inference = new StageInference();
        long records = ResultsScanner.scan(
                folder.errorFiles(), RecordCsv.ERROR_HEADER, RecordCsv::parseError, inference::add);
        checkNotEmpty(records, folder.errorFiles(), folder.root().resolve(ResultsFolder.ERRORS));
        StageInference.Result result = inference.finish();
        notes.addAll(result.notes());
        return result.stages();
    }

    private static List<LearnerInfo> learnersOf(
            Manifest manifest, ResultsAggregator aggregator, List<String> notes) {
        Set<String> inData = aggregator.experiments().keySet();
        List<LearnerInfo> learners = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        List<String> unknownKinds = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (manifest != null) {
            for (Manifest.Learner learner : manifest.learners()) {
                listed.add(learner.label());
                if (!inData.contains(learner.label())) {
                    missing.add(learner.label());
                    continue;
                }
                if (learner.kind() == LearnerKind.UNKNOWN) {
                    unknownKinds.add(learner.label() + " (kind " + learner.kindText() + ")");
                }
                learners.add(new LearnerInfo(learner.label(), learner.kind(), false));
            }
        }
        // Learners the manifest does not list follow, crossprop family first, so that the legend
        // shows each colour family together.
        List<LearnerInfo> unlisted = new ArrayList<>();
        for (String label : inData) {
            if (!listed.contains(label)) {
                unlisted.add(new LearnerInfo(label, LearnerKind.fromLabel(label), true));
            }
        }
        unlisted.sort(Comparator.comparing((LearnerInfo learner) -> learner.kind().family())
                .thenComparing(LearnerInfo::label));
        learners.addAll(unlisted);
        List<String> inferred = unlisted.stream().map(LearnerInfo::label).toList();
        if (!inferred.isEmpty()) {
            notes.add("Learner kinds (colour families) were inferred from the label prefix for "
                    + String.join(", ", inferred) + ".");
        }
        if (!unknownKinds.isEmpty()) {
            notes.add("The manifest gives an unknown kind for " + String.join(", ", unknownKinds)
                    + "; known kinds are crossprop, crossprop-approx, backprop, momentum, rmsprop"
                    + " and adam. These learners are drawn in grey.");
        }
        if (!missing.isEmpty()) {
            notes.add("Learners in the manifest without any results: " + String.join(", ", missing)
                    + ".");
        }
        return learners;
    }

    private static boolean isClassification(
            Manifest manifest, ResultsAggregator aggregator, List<String> notes) {
        if (manifest != null && manifest.taskOutput() != null) {
            return manifest.taskOutput().equals("classification");
        }
        boolean classification = aggregator.sawClassification();
        notes.add("The task type (" + (classification ? "classification" : "regression")
                + ") was inferred from the accuracy column.");
        return classification;
    }

    private static void addDataNotes(
            Manifest manifest, ResultsAggregator aggregator, List<String> notes) {
        for (ResultsAggregator.Divergence divergence : aggregator.divergences()) {
            notes.add("Learner " + divergence.learner() + " diverged in run " + divergence.run()
                    + " at example " + divergence.index() + "; later bins average the other runs.");
        }
        if (aggregator.outsideStages() > 0) {
            notes.add(aggregator.outsideStages() + " record(s) have an index outside every stage"
                    + " and were skipped.");
        }
        if (manifest != null && !manifest.runs().isEmpty()) {
            Set<String> inData = new TreeSet<>();
            aggregator.experiments().values().forEach(runs -> inData.addAll(runs.keySet()));
            List<String> missing =
                    manifest.runs().stream()
                            .map(Manifest.Run::run)
                            .filter(run -> !inData.contains(run))
                            .toList();
            if (!missing.isEmpty()) {
                notes.add("Runs in the manifest without any results: " + String.join(", ", missing)
                        + ".");
            }
        }
    }

    private static int runCount(ResultsAggregator aggregator) {
        Set<String> runs = new TreeSet<>();
        aggregator.experiments().values().forEach(byRun -> runs.addAll(byRun.keySet()));
        return runs.size();
    }

    private static String nameOf(Manifest manifest, Path resultsDir) {
        if (manifest != null && manifest.name() != null) {
            return manifest.name();
        }
        Path fileName = resultsDir.toAbsolutePath().normalize().getFileName();
        return fileName == null ? resultsDir.toString() : fileName.toString();
    }

    private static String taskTitleOf(Manifest manifest, Path resultsDir) {
        if (manifest != null && manifest.taskKind() != null) {
            return manifest.taskKind().toUpperCase(Locale.ROOT);
        }
        return nameOf(manifest, resultsDir);
    }
}
