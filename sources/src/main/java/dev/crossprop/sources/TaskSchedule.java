package dev.crossprop.sources;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Task schedules: the task names of a run in stage order, such as {@code A,B,C,A,B,C}. A name that
 * appears again replays the task it named before.
 */
public final class TaskSchedule {

    /** The schedule of the crossprop paper's experiments. */
    public static final String DEFAULT = "A,B,C,A,B,C";

    private TaskSchedule() {}

    /** Splits comma-separated task names, trimming spaces around each name. */
    public static List<String> parse(String text) {
        List<String> tasks = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",", -1)) {
                tasks.add(part.strip());
            }
        }
        return tasks;
    }

    /**
     * Checks a schedule and returns an unmodifiable copy.
     *
     * @param stream the stream's name for messages, e.g. "GEOFF"
     * @throws IllegalArgumentException if the schedule is empty or a name is blank, has a comma or
     *     surrounding spaces
     */
    public static List<String> check(List<String> schedule, String stream) {
        if (schedule == null || schedule.isEmpty()) {
            throw new IllegalArgumentException(
                    stream
                            + " schedule is empty; list task names in stage order, e.g. --schedule "
                            + DEFAULT
                            + ".");
        }
        for (String task : schedule) {
            if (task == null
                    || task.isBlank()
                    || !task.equals(task.strip())
                    || task.contains(",")) {
                throw new IllegalArgumentException(
                        stream
                                + " schedule "
                                + schedule
                                + " has the task name '"
                                + task
                                + "'; task names must be non-empty, without commas or surrounding"
                                + " spaces, e.g. --schedule "
                                + DEFAULT
                                + ".");
            }
        }
        return List.copyOf(schedule);
    }

    /** Returns the distinct task names in the order they first appear. */
    public static List<String> distinctTasks(List<String> schedule) {
        return List.copyOf(new LinkedHashSet<>(schedule));
    }
}
