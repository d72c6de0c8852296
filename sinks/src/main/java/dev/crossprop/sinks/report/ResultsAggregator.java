package dev.crossprop.sinks.report;

import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds error and weight-norm records into per-experiment running sums, one record at a time.
 *
 * <p>Records are weighted by the number of examples they summarize. A record marked diverged only
 * records the divergence: its values may be non-finite and would swamp every mean, so they are left
 * out. Records whose index lies in no stage are counted and skipped.
 */
final class ResultsAggregator {

    /**
     * Most bin cells (one mean of one curve) to allow for, two doubles each: 30 million is about
     * 480 MB. The check counts four curves per experiment, so a full GEOFF run (240 experiments,
     * 30,000 examples) counts 28.8 million with --bin 1 and 288,000 with the default bin of 100.
     */
    static final long MAX_BIN_CELLS = 30_000_000L;

    /** One experiment that diverged. */
    record Divergence(String learner, String run, long index) {}

    private final StageLayout layout;
    private final Map<String, Map<String, ExperimentStats>> experiments = new TreeMap<>();
    private long errorRecords;
    private long normRecords;
    private long outsideStages;
    private boolean classification;

    ResultsAggregator(StageLayout layout) {
        this.layout = layout;
    }

    void addError(ErrorRecord record) {
        errorRecords++;
        ExperimentStats stats = statsOf(record.learner(), record.run());
        if (record.diverged()) {
            markDiverged(stats, record.index());
            return;
        }
        int stage = layout.stageOf(record.index());
        if (stage < 0) {
            outsideStages++;
            return;
        }
        int bin = layout.binOf(record.index());
        double weight = record.examples();
        boolean inTail = record.index() >= layout.stages().get(stage).tailFirstIndex();
        stats.error().add(bin, record.error(), weight);
        if (inTail) {
            stats.tailErrorSum[stage] += record.error() * weight;
            stats.tailErrorWeight[stage] += weight;
        }
        if (record.isClassification()) {
            classification = true;
            stats.accuracy().add(bin, record.accuracy(), weight);
            if (inTail) {
                stats.tailAccuracySum[stage] += record.accuracy() * weight;
                stats.tailAccuracyWeight[stage] += weight;
            }
        }
    }

    void addNorm(NormRecord record) {
        normRecords++;
        ExperimentStats stats = statsOf(record.learner(), record.run());
        if (record.diverged()) {
            markDiverged(stats, record.index());
            return;
        }
        int stage = layout.stageOf(record.index());
        if (stage < 0) {
            outsideStages++;
            return;
        }
        int bin = layout.binOf(record.index());
        stats.uChange().add(bin, record.uChange(), record.examples());
        stats.wChange().add(bin, record.wChange(), record.examples());
        // Records arrive in file order, not index order, so keep the one with the highest index.
        if (record.index() > stats.lastNormIndex[stage]) {
            stats.lastNormIndex[stage] = record.index();
            stats.uChangeAtLast[stage] = record.uChange();
            stats.wChangeAtLast[stage] = record.wChange();
        }
    }

    private static void markDiverged(ExperimentStats stats, long index) {
        if (stats.divergedIndex < 0 || index < stats.divergedIndex) {
            stats.divergedIndex = index;
        }
    }

    private ExperimentStats statsOf(String learner, String run) {
        Map<String, ExperimentStats> runs = experiments.computeIfAbsent(learner, l -> new TreeMap<>());
        ExperimentStats stats = runs.get(run);
        if (stats == null) {
            checkMemory();
            stats = new ExperimentStats(layout.binCount(), layout.stages().size());
            runs.put(run, stats);
        }
        return stats;
    }

    /** Rejects a bin size whose curves would not fit the memory budget, before allocating. */
    private void checkMemory() {
        long experimentCount = experiments.values().stream().mapToLong(Map::size).sum() + 1;
        // Error, accuracy and two weight norms: four curves per experiment at most.
        long cells = experimentCount * 4L * layout.binCount();
        if (cells > MAX_BIN_CELLS) {
            long suggested =
                    (long) Math.ceil((double) layout.binSize() * cells / MAX_BIN_CELLS);
            throw new InvalidResultsException(
                    "--bin " + layout.binSize() + " gives " + layout.binCount() + " points per curve,"
                            + " which for " + experimentCount + " experiments exceeds the budget of "
                            + MAX_BIN_CELLS + " points; pass --bin " + suggested + " or larger");
        }
    }

    /** Returns learner label, then run id, to the sums of that experiment; both in sorted order. */
    Map<String, Map<String, ExperimentStats>> experiments() {
        return Collections.unmodifiableMap(experiments);
    }

    List<Divergence> divergences() {
        List<Divergence> divergences = new ArrayList<>();
        experiments.forEach(
                (learner, runs) ->
                        runs.forEach(
                                (run, stats) -> {
                                    if (stats.divergedIndex >= 0) {
                                        divergences.add(
                                                new Divergence(learner, run, stats.divergedIndex));
                                    }
                                }));
        return divergences;
    }

    StageLayout layout() {
        return layout;
    }

    long errorRecords() {
        return errorRecords;
    }

    long normRecords() {
        return normRecords;
    }

    long outsideStages() {
        return outsideStages;
    }

    /** Returns whether any error record carried an accuracy. */
    boolean sawClassification() {
        return classification;
    }
}
