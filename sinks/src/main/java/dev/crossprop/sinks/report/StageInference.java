package dev.crossprop.sinks.report;

import dev.crossprop.sinks.records.ErrorRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Infers the stage schedule from the {@code task} column of the error records, for results without
 * a manifest.
 *
 * <p>For every run it records the task of each example index, then cuts the index order into stages
 * where the task changes. Records may arrive in any order, because Flink's part files do not keep
 * one global order. A stage starts right after the previous one ends; the first starts at the first
 * example of the run ({@code index - examples + 1} of its first record). The schedule of the run
 * that reaches the highest index is used; a run whose schedule differs (other than by ending early,
 * as a diverged run does) is reported in {@link Result#notes()}.
 */
final class StageInference {

    /**
     * Largest example index that inference accepts: it keeps one int per index and run, so this
     * bounds memory at 200 MB per run. Longer results need a manifest with the stages.
     */
    static final long MAX_INDEX = 50_000_000L;

    private static final int UNKNOWN_TASK = -1;

    /** Inferred stages and what the user should know about them. */
    record Result(List<Stage> stages, List<String> notes) {}

    /** Task id of every example index of one run, UNKNOWN_TASK where no record was seen. */
    private static final class RunTasks {
        int[] taskByIndex = new int[1024];
        long maxIndex = -1;
        long firstExample = Long.MAX_VALUE;

        {
            Arrays.fill(taskByIndex, UNKNOWN_TASK);
        }

        void set(long index, int task, int examples) {
            if (index >= taskByIndex.length) {
                int length = (int) Math.min(MAX_INDEX + 1, Math.max(index + 1, 2L * taskByIndex.length));
                int old = taskByIndex.length;
                taskByIndex = Arrays.copyOf(taskByIndex, length);
                Arrays.fill(taskByIndex, old, length, UNKNOWN_TASK);
            }
            if (taskByIndex[(int) index] == UNKNOWN_TASK) {
                taskByIndex[(int) index] = task;
            }
            maxIndex = Math.max(maxIndex, index);
            firstExample = Math.min(firstExample, Math.max(0, index - examples + 1));
        }
    }

    private final Map<String, RunTasks> runs = new TreeMap<>();
    private final Map<String, Integer> taskIds = new HashMap<>();
    private final List<String> taskNames = new ArrayList<>();

    void add(ErrorRecord record) {
        if (record.index() > MAX_INDEX) {
            throw new IllegalArgumentException(
                    "index " + record.index() + " of run '" + record.run() + "' is above "
                            + MAX_INDEX + ", the largest index for which stages can be inferred;"
                            + " add manifest.json with the stages to the results folder");
        }
        Integer task = taskIds.get(record.task());
        if (task == null) {
            task = taskNames.size();
            taskIds.put(record.task(), task);
            taskNames.add(record.task());
        }
        runs.computeIfAbsent(record.run(), run -> new RunTasks())
                .set(record.index(), task, record.examples());
    }

    Result finish() {
        if (runs.isEmpty()) {
            throw new IllegalStateException("no error records were added; nothing to infer from");
        }
        Map<String, List<Stage>> schedules = new TreeMap<>();
        String reference = null;
        long referenceEnd = -1;
        for (Map.Entry<String, RunTasks> run : runs.entrySet()) {
            List<Stage> stages = stagesOf(run.getValue());
            schedules.put(run.getKey(), stages);
            if (run.getValue().maxIndex > referenceEnd) {
                reference = run.getKey();
                referenceEnd = run.getValue().maxIndex;
            }
        }
        List<Stage> stages = schedules.get(reference);
        List<String> notes = new ArrayList<>();
        notes.add("The " + stages.size() + " stage(s) were inferred from changes of the task column"
                + " in run '" + reference + "'.");
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, List<Stage>> schedule : schedules.entrySet()) {
            if (!isPrefixOf(schedule.getValue(), stages)) {
                differing.add(schedule.getKey());
            }
        }
        if (!differing.isEmpty()) {
            notes.add("Runs " + differing + " have a different task schedule from run '" + reference
                    + "'; the figures and the table use the schedule of '" + reference + "'.");
        }
        return new Result(stages, notes);
    }

    private List<Stage> stagesOf(RunTasks run) {
        List<Stage> stages = new ArrayList<>();
        int currentTask = UNKNOWN_TASK;
        long first = run.firstExample;
        long last = -1;
        for (int index = 0; index <= run.maxIndex; index++) {
            int task = run.taskByIndex[index];
            if (task == UNKNOWN_TASK) {
                continue;
            }
            if (task != currentTask && currentTask != UNKNOWN_TASK) {
                stages.add(new Stage(stages.size() + 1, taskNames.get(currentTask), first, last));
                first = last + 1;
            }
            currentTask = task;
            last = index;
        }
        stages.add(new Stage(stages.size() + 1, taskNames.get(currentTask), first, last));
        return stages;
    }

    /**
     * Returns whether {@code schedule} agrees with {@code reference}, allowing its last stage to
     * end early.
     */
    private static boolean isPrefixOf(List<Stage> schedule, List<Stage> reference) {
        if (schedule.size() > reference.size()) {
            return false;
        }
        for (int i = 0; i < schedule.size(); i++) {
            Stage stage = schedule.get(i);
            Stage expected = reference.get(i);
            boolean isLast = i == schedule.size() - 1;
            boolean same =
                    stage.task().equals(expected.task())
                            && stage.firstIndex() == expected.firstIndex()
                            && (isLast
                                    ? stage.lastIndex() <= expected.lastIndex()
                                    : stage.lastIndex() == expected.lastIndex());
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
