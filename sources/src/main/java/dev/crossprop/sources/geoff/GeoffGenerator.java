package dev.crossprop.sources.geoff;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.internal.RandomStreams;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The example stream of one GEOFF run: a fixed target network, a sequence of tasks that differ in
 * the output weights W*, and a fixed example set per task. GEOFF (generic online feature finding)
 * is Sutton's 2014 testbed, as used by Veeriah, Zhang and Sutton (2017, "Crossprop").
 *
 * <p>Construction draws, from streams of {@link RandomStreams} keyed by the seed:
 *
 * <ol>
 *   <li>stream (GEOFF_NETWORK, 0): U*, (m + 1) x n values in row-major order with the bias row
 *       last, each {@code nextInt(2) == 0 ? -1 : +1}; then the first task's W*, n + 1 values with
 *       the bias feature's weight last, each {@code nextInt(3) - 1}.
 *   <li>for the k-th distinct task name in schedule order, k = 2, 3, ..., stream
 *       (GEOFF_TASK_CHANGE, k): starting from task k - 1's W*, c = floor(changeFraction * (n + 1))
 *       positions chosen uniformly without replacement by a partial Fisher-Yates shuffle of 0 .. n
 *       (for r = 0 .. c - 1, swap r with {@code r + nextInt(n + 1 - r)}); then, for the chosen
 *       positions in draw order, a new value {@code nextInt(3) - 1} each. A redrawn value equals
 *       the old one with probability 1/3, so about {@code 2/3 * c} entries change.
 * </ol>
 *
 * <p>Task k's example set comes from stream (GEOFF_EXAMPLES, k), drawn example by example: m
 * inputs, each {@code nextInt(2)} as 0.0 or 1.0, then one N(0, 1) noise value by {@link
 * RandomStreams#nextGaussian}. The target is {@link GeoffTargetNetwork#output} plus the noise.
 * Example sets are regenerated from their stream on every pass instead of being stored, so a run
 * takes memory for its network only; a repeated task name replays the same examples, bit for bit.
 *
 * <p>The stream emits {@code Example.regression("geoff-seed-<seed>", index, task, x, {y})} with
 * index 0, 1, 2, ... across the whole schedule. Instances are immutable; each iterator is
 * independent and not thread-safe.
 */
public final class GeoffGenerator implements Iterable<Example> {

    private final GeoffConfig config;
    private final GeoffTargetNetwork network;
    // Distinct task names in schedule order, with W* and the task number k (1-based).
    private final Map<String, int[]> outputWeights = new LinkedHashMap<>();
    private final Map<String, Integer> taskNumbers = new LinkedHashMap<>();

    /** Draws the target network and every task's output weights. */
    public GeoffGenerator(GeoffConfig config) {
        this.config = config;
        int m = config.inputs();
        int n = config.features();
        SplittableRandom networkStream =
                RandomStreams.stream(config.seed(), RandomStreams.GEOFF_NETWORK, 0);
        this.network = GeoffTargetNetwork.draw(m, n, config.beta(), networkStream);

        int[] weights = new int[n + 1];
        for (int j = 0; j <= n; j++) {
            weights[j] = networkStream.nextInt(3) - 1;
        }
        for (String task : config.schedule()) {
            if (outputWeights.containsKey(task)) {
                continue;
            }
            int number = outputWeights.size() + 1;
            if (number > 1) {
                weights = changeTask(weights, config, number);
            }
            outputWeights.put(task, weights);
            taskNumbers.put(task, number);
        }
    }

    private static int[] changeTask(int[] previous, GeoffConfig config, int number) {
        SplittableRandom random =
                RandomStreams.stream(config.seed(), RandomStreams.GEOFF_TASK_CHANGE, number);
        int size = previous.length;
        int count = (int) Math.floor(config.changeFraction() * size);
        int[] positions = new int[size];
        for (int p = 0; p < size; p++) {
            positions[p] = p;
        }
        for (int r = 0; r < count; r++) {
            int s = r + random.nextInt(size - r);
            int swap = positions[r];
            positions[r] = positions[s];
            positions[s] = swap;
        }
        int[] next = previous.clone();
        for (int r = 0; r < count; r++) {
            next[positions[r]] = random.nextInt(3) - 1;
        }
        return next;
    }

    /** Returns the run id convention for GEOFF, {@code geoff-seed-<seed>}. */
    public static String runId(long seed) {
        return "geoff-seed-" + seed;
    }

    /** Returns this run's id. */
    public String runId() {
        return runId(config.seed());
    }

    public GeoffConfig config() {
        return config;
    }

    /** Returns the target network's first layer, shared by every task. */
    public GeoffTargetNetwork network() {
        return network;
    }

    /** Returns a validator for this stream: m inputs, one regression target. */
    public ExampleValidator validator() {
        return ExampleValidator.regression(config.inputs(), 1);
    }

    /** Returns the distinct task names in the order they first appear in the schedule. */
    public List<String> tasks() {
        return List.copyOf(outputWeights.keySet());
    }

    /** Returns a copy of the task's W*, n + 1 values in {-1, 0, +1}, the last for the bias. */
    public int[] outputWeights(String task) {
        return weightsOf(task).clone();
    }

    /** Returns the number of examples over the whole schedule. */
    public long exampleCount() {
        return config.totalExamples();
    }

    /**
     * Regenerates the task's example set.
     *
     * @return the examples in order with index 0 .. examplesPerTask - 1 and this run's id
     */
    public List<Example> taskExamples(String task) {
        List<Example> examples = new ArrayList<>(config.examplesPerTask());
        TaskStream stream = new TaskStream(task);
        for (int k = 0; k < config.examplesPerTask(); k++) {
            examples.add(stream.next(k));
        }
        return examples;
    }

    /** Regenerates the task's recorded noise, one N(0, 1) value per example. */
    public double[] noise(String task) {
        double[] noise = new double[config.examplesPerTask()];
        TaskStream stream = new TaskStream(task);
        for (int k = 0; k < noise.length; k++) {
            noise[k] = stream.nextNoise();
        }
        return noise;
    }

    private int[] weightsOf(String task) {
        int[] weights = outputWeights.get(task);
        if (weights == null) {
            throw new IllegalArgumentException(
                    "Task '" + task + "' is not in the GEOFF schedule " + config.schedule() + ".");
        }
        return weights;
    }

    /** Returns a fresh stream over the whole schedule, starting at index 0. */
    @Override
    public Iterator<Example> iterator() {
        return new ScheduleIterator();
    }

    /** Draws one task's examples in order from that task's stream. */
    private final class TaskStream {
        private final String task;
        private final int[] weights;
        private final SplittableRandom random;
        private double[] x;

        TaskStream(String task) {
            this.task = task;
            this.weights = weightsOf(task);
            this.random =
                    RandomStreams.stream(
                            config.seed(), RandomStreams.GEOFF_EXAMPLES, taskNumbers.get(task));
        }

        /** Draws the next inputs into a new array and returns the noise. */
        double nextNoise() {
            x = new double[config.inputs()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextInt(2);
            }
            return RandomStreams.nextGaussian(random);
        }

        Example next(long index) {
            double noise = nextNoise();
            double y = network.output(x, weights) + noise;
            return Example.regression(runId(), index, task, x, new double[] {y});
        }
    }

    private final class ScheduleIterator implements Iterator<Example> {
        private final List<String> schedule = config.schedule();
        private int stage = -1;
        private int withinStage = config.examplesPerTask();
        private long index;
        private TaskStream current;

        @Override
        public boolean hasNext() {
            return withinStage < config.examplesPerTask() || stage + 1 < schedule.size();
        }

        @Override
        public Example next() {
            if (!hasNext()) {
                throw new NoSuchElementException(
                        "GEOFF run " + runId() + " ended after " + index + " examples.");
            }
            if (withinStage == config.examplesPerTask()) {
                stage++;
                withinStage = 0;
                current = new TaskStream(schedule.get(stage));
            }
            withinStage++;
            return current.next(index++);
        }
    }

    @Override
    public String toString() {
        return "GeoffGenerator{run="
                + runId()
                + ", inputs="
                + config.inputs()
                + ", features="
                + config.features()
                + ", schedule="
                + config.schedule()
                + "}";
    }
}
