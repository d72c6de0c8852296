package dev.crossprop.job.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment: the task, the runs (one seed each), the learners after sweep
 * expansion, the Kafka topics and the outputs. Immutable; read once at start by {@link
 * ExperimentConfigLoader} and passed to the operators.
 *
 * @param name experiment name; results go to {@code results/<name>/}
 * @param source file the configuration was read from, for messages and the manifest
 * @param task task and example shape
 * @param seeds one seed per run; generated tasks name the run after it
 * @param learners learners, each applied to every run
 * @param initSeed seed mixed with the run id to draw initial weights
 * @param kafka topics
 * @param output per-example output settings
 * @param checkpointInterval interval between checkpoints
 * @param parallelism job parallelism
 * @param document the configuration as read, for the manifest
 */
public record ExperimentConfig(
        String name,
        String source,
        TaskSpec task,
        List<Long> seeds,
        List<LearnerSpec> learners,
        long initSeed,
        KafkaSpec kafka,
        OutputSpec output,
        Duration checkpointInterval,
        int parallelism,
        Map<String, Object> document)
        implements Serializable {

    /**
     * The job's maximum parallelism, which is its number of key groups. It is fixed so that keyed
     * state restores at any parallelism up to it, and it bounds the parallelism.
     */
    public static final int MAX_PARALLELISM = 128;

    public ExperimentConfig {
        seeds = List.copyOf(seeds);
        learners = List.copyOf(learners);
    }

    /** Returns the run ids of the generated runs, in seed order; empty for live tasks. */
    public List<String> runIds() {
        List<String> ids = new ArrayList<>();
        if (task.kind() != TaskKind.LIVE) {
            for (long seed : seeds) {
                ids.add(task.runId(seed));
            }
        }
        return ids;
    }

    /** Returns the number of learner steps the experiment takes, or -1 for live tasks. */
    public long totalSteps() {
        long perRun = task.examplesPerRun();
        return perRun < 0 ? -1 : perRun * seeds.size() * learners.size();
    }

    /**
     * Returns a copy with another parallelism, as set on the command line.
     *
     * @throws IllegalArgumentException naming the option and the allowed range, when {@code
     *     newParallelism} is not between 1 and {@link #MAX_PARALLELISM}
     */
    public ExperimentConfig withParallelism(int newParallelism) {
        if (newParallelism < 1 || newParallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException(
                    "Invalid --parallelism " + newParallelism + "; allowed: 1 to " + MAX_PARALLELISM);
        }
        return new ExperimentConfig(
                name, source, task, seeds, learners, initSeed, kafka, output, checkpointInterval,
                newParallelism, document);
    }

    /** Returns a copy with other Kafka settings, as set on the command line. */
    public ExperimentConfig withKafka(KafkaSpec newKafka) {
        return new ExperimentConfig(
                name, source, task, seeds, learners, initSeed, newKafka, output, checkpointInterval,
                parallelism, document);
    }
}
