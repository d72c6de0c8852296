package dev.crossprop.sinks.report;

/**
 * One stage of a task schedule: a run of consecutive example indexes, inclusive at both ends, on
 * which the examples come from one task.
 *
 * @param number position in the schedule, from 1
 * @param task task letter, for example {@code A}; empty when the results carry none
 * @param firstIndex first example index of the stage
 * @param lastIndex last example index of the stage, {@code >= firstIndex}
 */
public record Stage(int number, String task, long firstIndex, long lastIndex) {

    public Stage {
        if (number < 1) {
            throw new IllegalArgumentException("stage number is " + number + "; it must be >= 1");
        }
        if (task == null) {
            throw new IllegalArgumentException(
                    "task of stage " + number + " is null; pass the letter or an empty string");
        }
        if (firstIndex < 0 || lastIndex < firstIndex) {
            throw new IllegalArgumentException(
                    "stage " + number + " spans indexes " + firstIndex + " to " + lastIndex
                            + "; first_index must be >= 0 and <= last_index");
        }
    }

    /** Returns the number of example indexes in the stage. */
    public long length() {
        return lastIndex - firstIndex + 1;
    }

    /**
     * Returns the first index of the stage's last 10%: the last {@code ceil(length / 10)} indexes,
     * at least one, over which the summary averages the error.
     */
    public long tailFirstIndex() {
        long tailLength = Math.max(1, (length() + 9) / 10);
        return lastIndex - tailLength + 1;
    }

    /** Returns the task letter for labels, or "?" when the results carry no task. */
    public String label() {
        return task.isEmpty() ? "?" : task;
    }
}
