package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;

import java.time.Duration;

/**
 * The Flink settings every run of the job uses: heap state (HashMap backend) so that learners
 * are read and updated as objects, checkpoints on the file system, no Kryo fallback, and object
 * reuse, since no function keeps or modifies its input records.
 */
public final class JobEnvironment {

    private JobEnvironment() {}

    /**
     * Returns the job's settings.
     *
     * @param checkpointDir checkpoint directory as a URI, such as {@code file:///tmp/checkpoints};
     *     null keeps the cluster's setting
     */
    public static Configuration configuration(ExperimentConfig config, String jobName, String checkpointDir) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, jobName);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.MAX_PARALLELISM, CrosspropJob.MAX_PARALLELISM);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());

        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }

        // A failed task restarts from the last checkpoint; a job that keeps failing stops.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        return conf;
    }
}
