package dev.crossprop.sources.mnist;

import dev.crossprop.sources.TaskSchedule;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one MNIST continual-learning run: the IDX files, how many images to use, how tasks
 * differ, the schedule and the seed.
 *
 * <p>The crossprop paper's MNIST run uses the first 50,000 training images in the same order for
 * every task, label shifts A = 0, B = 1, C = 2 and the schedule A,B,C,A,B,C. The defaults here
 * differ only in the files: the 10,000-image sample committed under {@code data/mnist-sample/},
 * with all of its images.
 *
 * @param images the images file (IDX, raw or gzip)
 * @param labels the labels file (IDX, raw or gzip)
 * @param count how many images to use from the start of the files; 0 means all of them
 * @param taskKind label shift or pixel permutation
 * @param schedule the task names in stage order; a repeated name replays that task
 * @param shifts the label shift of each task name, 0 to 9; empty means the k-th distinct task name
 *     in schedule order gets shift k - 1
 * @param seed the run's seed, which selects the permutations; the run id is {@code
 *     mnist-seed-<seed>}
 */
public record MnistConfig(
        Path images,
        Path labels,
        int count,
        MnistTaskKind taskKind,
        List<String> schedule,
        Map<String, Integer> shifts,
        long seed) {

    /** The sample's images file, relative to the repository root. */
    public static final Path DEFAULT_IMAGES =
            Path.of("data", "mnist-sample", "sample-images-idx3-ubyte.gz");

    /** The sample's labels file, relative to the repository root. */
    public static final Path DEFAULT_LABELS =
            Path.of("data", "mnist-sample", "sample-labels-idx1-ubyte.gz");

    public static final String DEFAULT_SCHEDULE = TaskSchedule.DEFAULT;

    /** Number of classes of MNIST, and the modulus of the label shift. */
    public static final int CLASSES = 10;

    /** Validates every field and fills in the default shifts. */
    public MnistConfig {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(taskKind, "taskKind");
        if (count < 0) {
            throw new IllegalArgumentException(
                    "MNIST image count is "
                            + count
                            + "; use 0 for all images or a positive"
                            + " count (--count).");
        }
        schedule = TaskSchedule.check(schedule, "MNIST");
        shifts = checkShifts(schedule, shifts == null ? Map.of() : shifts);
    }

    private static Map<String, Integer> checkShifts(
            List<String> schedule, Map<String, Integer> requested) {
        List<String> tasks = TaskSchedule.distinctTasks(schedule);
        Map<String, Integer> result = new LinkedHashMap<>();
        for (int k = 0; k < tasks.size(); k++) {
            String task = tasks.get(k);
            Integer shift =
                    requested.isEmpty() ? Integer.valueOf(k % CLASSES) : requested.get(task);
            if (shift == null) {
                throw new IllegalArgumentException(
                        "MNIST shifts "
                                + requested
                                + " give no shift for task '"
                                + task
                                + "' of the schedule "
                                + schedule
                                + "; add "
                                + task
                                + "=S with S"
                                + " in 0..9 to --shifts.");
            }
            if (shift < 0 || shift >= CLASSES) {
                throw new IllegalArgumentException(
                        "MNIST shift of task '" + task + "' is " + shift + " but must be in 0..9.");
            }
            result.put(task, shift);
        }
        for (String task : requested.keySet()) {
            if (!result.containsKey(task)) {
                throw new IllegalArgumentException(
                        "MNIST shifts name task '"
                                + task
                                + "', which is not in the schedule "
                                + schedule
                                + "; remove it or add it to --schedule.");
            }
        }
        return Map.copyOf(result);
    }

    /**
     * Parses shifts written as {@code A=0,B=1,C=2}.
     *
     * @throws IllegalArgumentException if an entry is not NAME=INTEGER
     */
    public static Map<String, Integer> parseShifts(String text) {
        Map<String, Integer> shifts = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return shifts;
        }
        for (String entry : text.split(",")) {
            String[] parts = entry.split("=", -1);
            try {
                if (parts.length != 2 || parts[0].isBlank()) {
                    throw new NumberFormatException();
                }
                shifts.put(parts[0].strip(), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "MNIST shift '"
                                + entry.strip()
                                + "' is not TASK=SHIFT; write e.g."
                                + " --shifts A=0,B=1,C=2.");
            }
        }
        return shifts;
    }

    /** Returns a builder with the defaults: the sample files, all images, label shifts. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a copy with another seed. */
    public MnistConfig withSeed(long newSeed) {
        return new MnistConfig(images, labels, count, taskKind, schedule, shifts, newSeed);
    }

    /** Returns the run id convention for MNIST, {@code mnist-seed-<seed>}. */
    public static String runId(long seed) {
        return "mnist-seed-" + seed;
    }

    /** Collects MNIST settings; {@link #build()} validates them. */
    public static final class Builder {
        private Path images = DEFAULT_IMAGES;
        private Path labels = DEFAULT_LABELS;
        private int count;
        private MnistTaskKind taskKind = MnistTaskKind.SHIFT;
        private List<String> schedule = TaskSchedule.parse(DEFAULT_SCHEDULE);
        private Map<String, Integer> shifts = Map.of();
        private long seed;

        private Builder() {}

        public Builder images(Path value) {
            images = value;
            return this;
        }

        public Builder labels(Path value) {
            labels = value;
            return this;
        }

        /** Sets how many images to use from the start of the files; 0 means all. */
        public Builder count(int value) {
            count = value;
            return this;
        }

        public Builder taskKind(MnistTaskKind value) {
            taskKind = value;
            return this;
        }

        public Builder schedule(List<String> value) {
            schedule = value;
            return this;
        }

        /** Sets the schedule from comma-separated task names, e.g. {@code A,B,C,A,B,C}. */
        public Builder schedule(String value) {
            schedule = TaskSchedule.parse(value);
            return this;
        }

        public Builder shifts(Map<String, Integer> value) {
            shifts = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * Returns the configuration.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public MnistConfig build() {
            return new MnistConfig(images, labels, count, taskKind, schedule, shifts, seed);
        }
    }
}
