package dev.crossprop.job.cli;

import dev.crossprop.job.CrosspropJob;
import dev.crossprop.job.ExamplesTopicCheck;
import dev.crossprop.job.ExperimentExamples;
import dev.crossprop.job.JobEnvironment;
import dev.crossprop.job.JobOptions;
import dev.crossprop.job.KafkaOutputs;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.config.InvalidConfigException;
import dev.crossprop.job.config.TaskKind;
import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code run}: the job's entry point on a Flink cluster ({@code flink run crossprop-cluster.jar
 * --config FILE --bootstrap-servers HOST:PORT}). It reads the examples topic and writes the
 * output topics exactly-once; it does not start a broker or produce examples.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Submit the learning job to the Flink cluster of the current context (flink run), "
                + "reading examples from Kafka and writing the output topics.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment file, for example conf/geoff.yaml.")
    Path configFile;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--unbounded", description = "Read until cancelled (live feeds). Default for live tasks; generated tasks stop at the topic's end.")
    boolean unbounded;

    @Option(names = "--produce",
            description = "First write the experiment's generated examples (geoff or mnist) to its topic, which must be missing or empty.")
    boolean produce;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism; overrides the file's parallelism.")
    Integer parallelism;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Also write CSV results to this folder (a path every TaskManager can reach, such as a shared file system).")
    String resultsDir;

    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint directory; default: the cluster's execution.checkpointing.dir.")
    String checkpointDir;

    @Option(names = "--job-name", paramLabel = "NAME", description = "Flink job name and prefix of the Kafka transactional ids; default crossprop-<name>.")
    String jobName;

    private final PrintStream err;

    public RunCommand() {
        this(System.err);
    }

    /** Creates the command with its own stream for errors, as tests need. */
    public RunCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        ExperimentConfig config;
        try {
            config = ExperimentConfigLoader.load(configFile);
        } catch (InvalidConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        if (parallelism != null) {
            try {
                config = config.withParallelism(parallelism);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        String name = jobName != null ? jobName : "crossprop-" + config.name();

        if (produce && config.task().kind() == TaskKind.LIVE) {
            err.println("--produce writes generated examples, but " + configFile
                    + " has a live task; start your own producers instead, and drop --produce.");
            return 2;
        }
        boolean bounded = !(unbounded || config.task().kind() == TaskKind.LIVE);
        try {
            if (produce) {
                produceExamples(config);
            }
            prepareKafka(config, bounded);
            if (bounded && !produce) {
                ExamplesTopicCheck.check(config, bootstrapServers, Duration.ofSeconds(30));
            }
        } catch (IllegalStateException e) {
            // Stop before any job on an unreachable broker, a missing, already written or
            // mismatched examples topic, or a broker setting that breaks the sinks.
            err.println(e.getMessage());
            return 2;
        }

        Configuration conf = JobEnvironment.configuration(config, name, checkpointDir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        CrosspropJob.build(env, config, new JobOptions(bootstrapServers, bounded, resultsDir, true, name));
        env.execute(name);
        return 0;
    }

    /**
     * Writes the experiment's examples to its topic, as {@code local} does. A topic that already
     * contains records is rejected, because a second copy would repeat every example index.
     *
     * @throws IllegalStateException when the broker is not reachable within 30 seconds or the topic
     *     already contains records
     */
    private void produceExamples(ExperimentConfig config) throws IOException {
        Duration timeout = Duration.ofSeconds(30);
        String topic = config.kafka().topic();
        KafkaAdmin.awaitReachable(bootstrapServers, timeout);
        if (KafkaAdmin.hasRecords(bootstrapServers, topic, timeout)) {
            throw new IllegalStateException("Examples topic '" + topic + "' at " + bootstrapServers
                    + " already contains records. Drop --produce to learn from them, or delete the topic first.");
        }
        err.printf("Producing %d runs of %d examples to topic %s ...%n",
                config.seeds().size(), config.task().examplesPerRun(), topic);
        ExampleProduction.produce(config, bootstrapServers, ExperimentExamples.runs(config), err);
    }

    /**
     * Waits for the broker, checks the examples topic and the broker's transaction timeout, and
     * creates the output topics. A bounded run needs its examples already in the topic; an
     * unbounded run creates the topic when it is missing, for producers that start later.
     *
     * @throws IllegalStateException when the broker is not reachable within 30 seconds, a bounded
     *     run's examples topic is missing, transaction.max.timeout.ms is too small, or a topic
     *     cannot be created
     */
    private void prepareKafka(ExperimentConfig config, boolean bounded) {
        Duration timeout = Duration.ofSeconds(30);
        KafkaAdmin.awaitReachable(bootstrapServers, timeout);
        String topic = config.kafka().topic();
        if (bounded && !KafkaAdmin.topicExists(bootstrapServers, topic, timeout)) {
            // Without this check the source fails on the missing topic and the job restarts until
            // its restart strategy gives up.
            throw new IllegalStateException("Examples topic '" + topic + "' not found at " + bootstrapServers
                    + ". Write the examples first (crossprop produce " + config.task().kind().id() + " --topic " + topic + " ...), set kafka.topic in " + configFile
                    + ", or pass --unbounded to wait for producers that start later.");
        }
        if (!bounded) {
            KafkaAdmin.ensureTopic(bootstrapServers, topic, config.kafka().partitions(), timeout);
        }
        KafkaOutputs.prepareTopics(bootstrapServers, config, timeout);
    }

    /** Entry point of the cluster jar. */
    public static void main(String[] args) {
        int code = new CommandLine(new RunCommand()).execute(args);
        // Exit only on failure: flink run executes this method inside the client's JVM.
        if (code != 0) {
            System.exit(code);
        }
    }
}
