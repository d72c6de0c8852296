package dev.crossprop.job.cli;

import dev.crossprop.job.CrosspropJob;
import dev.crossprop.job.ExamplesTopicCheck;
import dev.crossprop.job.ExperimentExamples;
import dev.crossprop.job.JobEnvironment;
import dev.crossprop.job.JobOptions;
import dev.crossprop.job.KafkaOutputs;
import dev.crossprop.job.Manifest;
import dev.crossprop.job.ResultsSummary;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.config.InvalidConfigException;
import dev.crossprop.job.config.TaskKind;
import dev.crossprop.sources.kafka.EmbeddedKafkaBroker;
import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code local CONFIG}: runs an experiment end to end on this machine. Without
 * {@code --bootstrap-servers} it starts an in-process Kafka broker; it produces the configured
 * examples, runs the job on a Flink mini cluster until the input ends, writes the results under
 * {@code results/<name>/} and prints a summary.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = "Run an experiment end to end on this machine: produce its examples into Kafka, "
                + "learn on a local Flink mini cluster, write results/<name>/ and print a summary.")
public final class LocalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Experiment file, for example conf/geoff-quick.yaml.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka cluster to use. Default: start a single-node broker in this process on 127.0.0.1.")
    String bootstrapServers;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Folder under which results/<name>/ is written (default: ${DEFAULT-VALUE}).")
    Path resultsRoot;

    @Option(names = "--parallelism", paramLabel = "N", description = "Job parallelism; overrides the file's parallelism.")
    Integer parallelism;

    @Option(names = "--no-produce", description = "Do not produce examples: they are already in the topic. A bounded run first checks that the topic contains the file's examples.")
    boolean noProduce;

    @Option(names = "--kafka-outputs", description = "Also write the output topics (errors, norms, aggregates, dead letters).")
    boolean kafkaOutputs;

    @Option(names = "--unbounded", description = "Keep reading the topic until cancelled instead of stopping at its end; live tasks always do.")
    boolean unbounded;

    private final PrintStream out;
    private final PrintStream err;

    public LocalCommand() {
        this(System.out, System.err);
    }

    /** Creates the command with its own streams for progress and for errors, as tests need. */
    public LocalCommand(PrintStream out, PrintStream err) {
        this.out = out;
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
        boolean live = config.task().kind() == TaskKind.LIVE;
        if (live && bootstrapServers == null) {
            err.println("A live task reads examples that your producer writes: give --bootstrap-servers of that Kafka cluster");
            return 2;
        }

        EmbeddedKafkaBroker broker = null;
        try {
            String servers = bootstrapServers;
            if (servers == null) {
                out.println("Starting a Kafka broker on 127.0.0.1 ...");
                broker = EmbeddedKafkaBroker.start();
                servers = broker.bootstrapServers();
                out.println("Kafka broker at " + servers);
            }
            return run(config, servers, live);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private int run(ExperimentConfig config, String servers, boolean live) throws Exception {
        boolean bounded = !(unbounded || live);
        try {
            prepareKafka(config, servers);
            String topic = config.kafka().topic();
            if (!noProduce && !live && KafkaAdmin.hasRecords(servers, topic, Duration.ofSeconds(30))) {
                // A second copy would repeat every example index of every run.
                throw new IllegalStateException("Examples topic '" + topic + "' at " + servers
                        + " already contains records. Pass --no-produce to learn from them, or delete the topic first.");
            }
            if (noProduce && bounded) {
                ExamplesTopicCheck.check(config, servers, Duration.ofSeconds(30));
            }
        } catch (IllegalStateException e) {
            // An unreachable broker, an examples topic that does not fit the file, or a broker
            // setting that breaks the sinks: stop before any job.
            err.println(e.getMessage());
            return 2;
        }

        if (!noProduce && !live) {
            out.printf("Producing %d runs of %d examples to topic %s ...%n",
                    config.seeds().size(), config.task().examplesPerRun(), config.kafka().topic());
            ExampleProduction.produce(config, servers, ExperimentExamples.runs(config), err);
        }

        Path resultsDir = resultsRoot.resolve(config.name());
        clearResults(resultsDir);
        Manifest.write(resultsDir, config, servers);

        Path checkpoints = Files.createTempDirectory("crossprop-checkpoints-");
        try {
            String jobName = "crossprop-" + config.name();
            Configuration conf = JobEnvironment.configuration(config, jobName, checkpoints.toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
            CrosspropJob.build(env, config, new JobOptions(
                    servers, bounded, resultsDir.toAbsolutePath().toString(), kafkaOutputs, jobName));

            if (bounded) {
                out.printf("Learning: %d runs x %d learners on Flink (parallelism %d); progress is logged every 5 s ...%n",
                        config.seeds().size(), config.learners().size(), config.parallelism());
            } else {
                out.printf("Learning: the runs of topic %s x %d learners on Flink (parallelism %d) until you stop it"
                        + " with Ctrl-C; progress is logged every 5 s ...%n",
                        config.kafka().topic(), config.learners().size(), config.parallelism());
            }
            // An unbounded job ends only when the JVM is stopped, so print then what the results contain.
            Thread stopNotice = new Thread(() -> {
                out.printf("Stopped. %s contains what the job learned up to its last checkpoint; the records after it stay"
                        + " in hidden .inprogress files. Running the same command again learns every run from the start.%n",
                        resultsDir);
                out.flush();
            }, "crossprop-stop-notice");
            if (!bounded) {
                Runtime.getRuntime().addShutdownHook(stopNotice);
            }
            long start = System.nanoTime();
            try {
                env.execute(jobName);
            } finally {
                if (!bounded) {
                    removeShutdownHook(stopNotice);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            ResultsSummary summary = ResultsSummary.read(config, resultsDir);
            long steps = config.totalSteps();
            out.printf("Done in %.1f s: %d error records in %s%n", seconds, summary.errorRecords(), resultsDir);
            if (steps > 0) {
                out.printf("Throughput: %d learner steps in %.1f s, %.0f steps per second (job start to finish)%n",
                        steps, seconds, steps / seconds);
            }
            summary.print(out);
            out.println("Draw the figures with: java -jar job/target/crossprop.jar report " + resultsDir);
            return 0;
        } finally {
            deleteCheckpoints(checkpoints);
        }
    }

    /** Removes the hook unless the JVM is already stopping, in which case the hook runs anyway. */
    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // Shutdown in progress: the notice is what the user should see.
        }
    }

    /** Deletes the run's temporary checkpoints; a failure only warns, because the results are complete. */
    private void deleteCheckpoints(Path checkpoints) {
        try {
            deleteRecursively(checkpoints);
        } catch (IOException | UncheckedIOException e) {
            err.println("Warning: could not delete the temporary checkpoints in " + checkpoints + " (" + e
                    + "); delete the folder by hand.");
        }
    }

    /**
     * Waits for the broker, creates the topics the job reads and writes, and checks the broker's
     * transaction timeout when the job writes topics.
     *
     * @throws IllegalStateException when the broker is not reachable within 30 seconds, a topic
     *     cannot be created, or the broker's transaction.max.timeout.ms is too small
     */
    private void prepareKafka(ExperimentConfig config, String servers) {
        Duration timeout = Duration.ofSeconds(30);
        KafkaAdmin.awaitReachable(servers, timeout);
        KafkaAdmin.ensureTopic(servers, config.kafka().topic(), config.kafka().partitions(), timeout);
        if (kafkaOutputs) {
            KafkaOutputs.prepareTopics(servers, config, timeout);
        }
    }

    private void clearResults(Path resultsDir) throws IOException {
        if (Files.exists(resultsDir)) {
            out.println("Replacing the earlier results in " + resultsDir);
            deleteRecursively(resultsDir);
        }
    }

    /**
     * Deletes a folder and everything in it. Files and folders that disappear meanwhile are
     * skipped: when a job ends, Flink may still be removing its older checkpoints on a thread of
     * its own.
     */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(folder);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
