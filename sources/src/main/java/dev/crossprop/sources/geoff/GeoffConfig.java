package dev.crossprop.sources.geoff;

import dev.crossprop.sources.TaskSchedule;

import java.util.List;

/**
 * Settings of one GEOFF run: the target network's size and sparsity, how much of W* changes at a
 * task switch, the examples per task, the task schedule and the seed.
 *
 * <p>Defaults follow the crossprop paper's GEOFF experiment: 20 inputs, 1000 features, beta 0.6,
 * half the output weights redrawn per new task, 5000 examples per task, schedule A,B,C,A,B,C.
 *
 * @param inputs m, the number of binary inputs, 1 to 10,000
 * @param features n, the number of linear threshold units, 1 to 1,000,000
 * @param beta the threshold parameter in [0, 1]; higher values make fewer units fire
 * @param changeFraction the share of the n + 1 output weights redrawn at a new task, in [0, 1]
 * @param examplesPerTask the size of each task's fixed example set, at least 1
 * @param schedule the task names in stage order; a repeated name replays that task's examples
 * @param seed the run's seed; the run id is {@code geoff-seed-<seed>}
 */
public record GeoffConfig(
        int inputs,
        int features,
        double beta,
        double changeFraction,
        int examplesPerTask,
        List<String> schedule,
        long seed) {

    public static final int DEFAULT_INPUTS = 20;
    public static final int DEFAULT_FEATURES = 1000;
    public static final double DEFAULT_BETA = 0.6;
    public static final double DEFAULT_CHANGE_FRACTION = 0.5;
    public static final int DEFAULT_EXAMPLES_PER_TASK = 5000;
    public static final String DEFAULT_SCHEDULE = TaskSchedule.DEFAULT;

    static final int MAX_INPUTS = 10_000;
    static final int MAX_FEATURES = 1_000_000;
    // U* is stored as (m + 1) * n bytes; this bound keeps it below 100 MB.
    static final long MAX_NETWORK_WEIGHTS = 100_000_000L;

    /** Validates every field; see the parameter list for the allowed ranges. */
    public GeoffConfig {
        checkRange("inputs", inputs, 1, MAX_INPUTS, "--inputs");
        checkRange("features", features, 1, MAX_FEATURES, "--features");
        if ((long) (inputs + 1) * features > MAX_NETWORK_WEIGHTS) {
            throw new IllegalArgumentException(
                    "GEOFF target network with "
                            + inputs
                            + " inputs and "
                            + features
                            + " features has "
                            + (long) (inputs + 1) * features
                            + " input weights, more than "
                            + MAX_NETWORK_WEIGHTS
                            + "; lower --inputs or --features.");
        }
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException(
                    "GEOFF beta is "
                            + beta
                            + " but must be in [0, 1]; the paper uses 0.6 (--beta).");
        }
        if (!(changeFraction >= 0 && changeFraction <= 1)) {
            throw new IllegalArgumentException(
                    "GEOFF change fraction is "
                            + changeFraction
                            + " but must be in [0, 1]; the paper uses 0.5 (--change-fraction).");
        }
        checkRange(
                "examples per task", examplesPerTask, 1, Integer.MAX_VALUE, "--examples-per-task");
        schedule = TaskSchedule.check(schedule, "GEOFF");
    }

    private static void checkRange(String name, int value, int min, int max, String option) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "GEOFF "
                            + name
                            + " is "
                            + value
                            + " but must be in ["
                            + min
                            + ", "
                            + max
                            + "]; set "
                            + option
                            + " within that range.");
        }
    }

    /** Returns a builder with the defaults and seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the defaults with the given seed. */
    public static GeoffConfig defaults(long seed) {
        return builder().seed(seed).build();
    }

    /** Returns a copy with another seed, used for runs r = 0, 1, ... with seeds S, S + 1, ... */
    public GeoffConfig withSeed(long newSeed) {
        return new GeoffConfig(
                inputs, features, beta, changeFraction, examplesPerTask, schedule, newSeed);
    }

    /** Returns the number of examples in the whole schedule. */
    public long totalExamples() {
        return (long) examplesPerTask * schedule.size();
    }

    /** Collects GEOFF settings; {@link #build()} validates them. */
    public static final class Builder {
        private int inputs = DEFAULT_INPUTS;
        private int features = DEFAULT_FEATURES;
        private double beta = DEFAULT_BETA;
        private double changeFraction = DEFAULT_CHANGE_FRACTION;
        private int examplesPerTask = DEFAULT_EXAMPLES_PER_TASK;
        private List<String> schedule = TaskSchedule.parse(DEFAULT_SCHEDULE);
        private long seed;

        private Builder() {}

        public Builder inputs(int value) {
            inputs = value;
            return this;
        }

        public Builder features(int value) {
            features = value;
            return this;
        }

        public Builder beta(double value) {
            beta = value;
            return this;
        }

        public Builder changeFraction(double value) {
            changeFraction = value;
            return this;
        }

        public Builder examplesPerTask(int value) {
            examplesPerTask = value;
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

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * Returns the configuration.
         *
         * @throws IllegalArgumentException naming the first invalid setting and its range
         */
        public GeoffConfig build() {
            return new GeoffConfig(
                    inputs, features, beta, changeFraction, examplesPerTask, schedule, seed);
        }
    }
}
