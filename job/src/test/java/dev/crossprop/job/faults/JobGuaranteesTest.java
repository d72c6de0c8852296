package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.CrosspropJob;
import dev.crossprop.job.JobEnvironment;
import dev.crossprop.job.JobOptions;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings that make recovery and savepoints work, read from the job as built: checkpoints on
 * by default and on the file system, a restart strategy, a stable uid on every operator and a
 * fixed maximum parallelism.
 */
class JobGuaranteesTest {

    private static final String CHECKPOINTS = "file:///tmp/crossprop-guarantees-checkpoints";

    /** Returns an experiment whose file sets neither a checkpoint interval nor a parallelism. */
    private static ExperimentConfig defaultsConfig() {
        String yaml = String.join("\n",
                "name: guarantees",
                "task: {kind: geoff, inputs: 5, features: 20, examples_per_task: 30, schedule: 'A'}",
                "learners:",
                "  - {kind: backprop, step_size: 0.01}",
                "");
        return ExperimentConfigLoader.parse("guarantees.yaml", new Yaml().load(yaml));
    }

    @Test
    void checkpointsAreOnByDefaultOnTheFileSystem() {
        Configuration conf = JobEnvironment.configuration(defaultsConfig(), "guarantees", CHECKPOINTS);

        // 10 s is the documented default of checkpoint_interval in conf/README.md.
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(CHECKPOINTS);
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
    }

    @Test
    void everyOperatorHasUidAndFixedMaxParallelism() {
        ExperimentConfig config = defaultsConfig();
        StreamExecutionEnvironment env =
                new StreamExecutionEnvironment(JobEnvironment.configuration(config, "guarantees", CHECKPOINTS));
        CrosspropJob.build(env, config, new JobOptions("127.0.0.1:9092", true, "/tmp/crossprop-guarantees", true, "guarantees"));
        StreamGraph graph = env.getStreamGraph();

        List<String> withoutUid = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getTransformationUID() == null) {
                withoutUid.add(node.getOperatorName());
            } else {
                assertThat(uids.add(node.getTransformationUID())).as("uid %s used once", node.getTransformationUID()).isTrue();
            }
            assertThat(node.getMaxParallelism()).as("max parallelism of %s", node.getOperatorName())
                    .isEqualTo(CrosspropJob.MAX_PARALLELISM);
        }
        assertThat(withoutUid).as("operators without a uid").isEmpty();
        // Source, parse, fan-out, learn, aggregate, and a writer and committer for each of 8 sinks.
        assertThat(uids).hasSize(5 + 2 * 8);
    }
}
