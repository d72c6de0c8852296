package dev.crossprop.job.faults;

import dev.crossprop.job.CrosspropJob;
import dev.crossprop.job.JobEnvironment;
import dev.crossprop.job.JobOptions;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.types.RawExample;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Builds the job graphs of the fault tests: the real topology, with test steps where a test requests them. */
final class FaultJobs {

    private FaultJobs() {}

    /**
     * Returns options that write both the CSV files under {@code resultsDir} and the output topics,
     * reading the examples topic up to its end offsets at start.
     */
    static JobOptions options(String bootstrapServers, Path resultsDir, String jobName) {
        return new JobOptions(bootstrapServers, true, resultsDir.toString(), true, jobName);
    }

    /** Returns the job graph of {@code config} without test steps. */
    static JobGraph plain(ExperimentConfig config, JobOptions options, Path checkpoints) {
        return graph(config, options, checkpoints, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * Returns the job graph of {@code config} with a {@link ProbeMap} right after the source.
     */
    static JobGraph probed(ExperimentConfig config, JobOptions options, Path checkpoints, ProbeMap probe) {
        return graph(config, options, checkpoints, withProbe(probe), UnaryOperator.identity());
    }

    /**
     * Returns the job graph of {@code config} with the job's own settings (checkpoints in
     * {@code checkpoints}, the restart strategy, maximum parallelism), the given test step after
     * the source and a transformation of the streams before the sinks.
     */
    static JobGraph graph(
            ExperimentConfig config, JobOptions options, Path checkpoints,
            UnaryOperator<DataStream<RawExample>> afterSource, UnaryOperator<CrosspropJob.Streams> beforeSinks) {
        Configuration conf = JobEnvironment.configuration(config, options.jobName(), checkpoints.toUri().toString());
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        CrosspropJob.Streams streams = CrosspropJob.buildStreams(env, config, options, afterSource);
        CrosspropJob.addSinks(beforeSinks.apply(streams), config, options);
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(options.jobName());
        return streamGraph.getJobGraph();
    }

    /** Returns {@code job} set to start from the savepoint or checkpoint at {@code path}. */
    static JobGraph restoredFrom(JobGraph job, String path) {
        job.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(path, false));
        return job;
    }

    static UnaryOperator<DataStream<RawExample>> withProbe(ProbeMap probe) {
        return records -> records.map(probe, records.getType()).uid("fault-probe").name("fault probe");
    }
}
