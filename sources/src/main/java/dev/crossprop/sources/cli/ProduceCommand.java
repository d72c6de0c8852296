package dev.crossprop.sources.cli;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.geoff.GeoffConfig;
import dev.crossprop.sources.geoff.GeoffGenerator;
import dev.crossprop.sources.mnist.IdxReader;
import dev.crossprop.sources.mnist.LabeledImages;
import dev.crossprop.sources.mnist.MnistConfig;
import dev.crossprop.sources.mnist.MnistTaskKind;
import dev.crossprop.sources.mnist.MnistTasks;
import dev.crossprop.sources.producer.ExampleProducer;
import dev.crossprop.sources.producer.ExampleWriter;
import dev.crossprop.sources.producer.JsonLinesExampleWriter;
import dev.crossprop.sources.producer.KafkaExampleWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The {@code produce} command: writes GEOFF or MNIST runs to a Kafka topic, or to a JSON lines file
 * with {@code --out}.
 *
 * <p>Runs r = 0 .. N - 1 use seeds S, S + 1, ... and take turns in blocks of {@code --block}
 * examples (default {@value ExampleProducer#DEFAULT_BLOCK}). Progress goes to
 * standard error at most every 2 seconds, followed by a final count. Ctrl-C stops the producer,
 * which flushes what it has sent and reports the count before the JVM exits.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Write GEOFF or MNIST example streams to Kafka or a JSON lines file.",
        subcommands = {ProduceCommand.Geoff.class, ProduceCommand.Mnist.class})
public final class ProduceCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "Name a stream: produce geoff or produce mnist.");
    }

    /**
     * Returns a command line that prints error messages without stack traces, and usage errors
     * without the whole usage text.
     */
    public static CommandLine commandLine() {
        return UsageErrorHandler.commandLine(new ProduceCommand(), "produce");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Options shared by both streams: where to write, how many runs, and how fast. */
    static final class OutputOptions {
        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers, comma-separated. Required unless --out.")
        String bootstrapServers;

        @Option(names = "--topic", description = "Topic to write to. Required unless --out.")
        String topic;

        @Option(
                names = "--out",
                paramLabel = "FILE.jsonl",
                description =
                        "Write JSON lines to this file instead of Kafka; runs are interleaved"
                                + " as on the topic.")
        Path out;

        @Option(
                names = "--runs",
                defaultValue = "1",
                description = "Number of runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(
                names = "--seed",
                defaultValue = "0",
                description = "Seed of run 0; run r uses seed + r (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--partitions",
                defaultValue = "" + KafkaExampleWriter.DEFAULT_PARTITIONS,
                description =
                        "Partitions of the topic if it is created (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--format",
                defaultValue = "binary",
                description = "Record format, json or binary (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(
                names = "--rate",
                defaultValue = "0",
                paramLabel = "EXAMPLES_PER_SECOND",
                description =
                        "Pace the stream to this many examples per second; 0 writes as fast as"
                            + " possible.")
        double rate;

        @Option(
                names = "--block",
                defaultValue = "" + ExampleProducer.DEFAULT_BLOCK,
                paramLabel = "EXAMPLES",
                description =
                        "Examples of one run written before the next run's turn; 1 interleaves"
                                + " the runs example by example (default: ${DEFAULT-VALUE}).")
        int block;

        @Mixin BrokerTimeout timeout = new BrokerTimeout();

        void check(CommandLine commandLine) {
            if (out == null && (bootstrapServers == null || topic == null)) {
                String missing = bootstrapServers == null && topic == null
                        ? "--bootstrap-servers and --topic"
                        : bootstrapServers == null ? "--bootstrap-servers" : "--topic";
                throw new ParameterException(
                        commandLine,
                        "Missing " + missing + "; give both --bootstrap-servers and --topic to write to"
                                + " Kafka, or --out FILE.jsonl to write a file.");
            }
            if (runs < 1) {
                throw new ParameterException(
                        commandLine, "--runs is " + runs + " but must be at least 1.");
            }
            if (block < 1) {
                throw new ParameterException(
                        commandLine,
                        "--block is " + block + " but must be at least 1 example.");
            }
            timeout.duration(commandLine);
            try {
                WireFormat.fromId(format);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, e.getMessage());
            }
        }

        ExampleWriter openWriter() throws IOException {
            if (out != null) {
                return new JsonLinesExampleWriter(out);
            }
            return KafkaExampleWriter.open(
                    bootstrapServers,
                    topic,
                    partitions,
                    WireFormat.fromId(format),
                    Duration.ofSeconds(timeout.seconds));
        }
    }

    /**
     * Writes the runs made by {@code runForSeed}, with progress on the command's error stream and a
     * shutdown hook that stops the producer cleanly on Ctrl-C.
     */
    static int produce(
            CommandLine commandLine,
            OutputOptions options,
            LongFunction<Iterator<Example>> runForSeed,
            ExampleValidator validator,
            long examplesPerRun)
            throws IOException {
        List<Iterator<Example>> runs = new ArrayList<>();
        for (int r = 0; r < options.runs; r++) {
            runs.add(runForSeed.apply(options.seed + r));
        }
        PrintWriter err = commandLine.getErr();
        ExampleProducer producer;
        try {
            producer =
                    new ExampleProducer(
                            options.openWriter(),
                            validator,
                            options.rate,
                            err,
                            ExampleProducer.DEFAULT_PROGRESS_INTERVAL,
                            options.block);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            producer.requestStop();
                            try {
                                // Give the main thread time to flush and print the count.
                                finished.await(options.timeout.seconds, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "produce-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            producer.produce(runs, examplesPerRun * options.runs);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down, so the hook has run or is running.
            }
        }
        return 0;
    }

    @Command(
            name = "geoff",
            mixinStandardHelpOptions = true,
            description =
                    "Write GEOFF regression runs (seeded target networks, task changes in W*).")
    static final class Geoff implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin OutputOptions output = new OutputOptions();

        @Option(
                names = "--inputs",
                defaultValue = "" + GeoffConfig.DEFAULT_INPUTS,
                description = "Binary inputs m (default: ${DEFAULT-VALUE}).")
        int inputs;

        @Option(
                names = "--features",
                defaultValue = "" + GeoffConfig.DEFAULT_FEATURES,
                description =
                        "Threshold units n of the target network (default: ${DEFAULT-VALUE}).")
        int features;

        @Option(
                names = "--beta",
                defaultValue = "" + GeoffConfig.DEFAULT_BETA,
                description = "Threshold parameter in [0, 1] (default: ${DEFAULT-VALUE}).")
        double beta;

        @Option(
                names = "--change-fraction",
                defaultValue = "" + GeoffConfig.DEFAULT_CHANGE_FRACTION,
                description =
                        "Share of the n + 1 output weights redrawn per new task (default:"
                            + " ${DEFAULT-VALUE}).")
        double changeFraction;

        @Option(
                names = "--examples-per-task",
                defaultValue = "" + GeoffConfig.DEFAULT_EXAMPLES_PER_TASK,
                description = "Examples in each task's fixed set (default: ${DEFAULT-VALUE}).")
        int examplesPerTask;

        @Option(
                names = "--schedule",
                defaultValue = GeoffConfig.DEFAULT_SCHEDULE,
                description =
                        "Task names in stage order; a repeated name replays its task (default:"
                            + " ${DEFAULT-VALUE}).")
        String schedule;

        @Override
        public Integer call() throws IOException {
            CommandLine commandLine = spec.commandLine();
            output.check(commandLine);
            GeoffConfig config;
            try {
                config =
                        GeoffConfig.builder()
                                .inputs(inputs)
                                .features(features)
                                .beta(beta)
                                .changeFraction(changeFraction)
                                .examplesPerTask(examplesPerTask)
                                .schedule(schedule)
                                .seed(output.seed)
                                .build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, e.getMessage());
            }
            return produce(
                    commandLine,
                    output,
                    seed -> new GeoffGenerator(config.withSeed(seed)).iterator(),
                    ExampleValidator.regression(config.inputs(), 1),
                    config.totalExamples());
        }
    }

    @Command(
            name = "mnist",
            mixinStandardHelpOptions = true,
            description = "Write MNIST classification runs with shifted labels or permuted pixels.")
    static final class Mnist implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin OutputOptions output = new OutputOptions();

        @Option(
                names = "--images",
                paramLabel = "FILE",
                description =
                        "IDX images file, raw or gzip (default: ${DEFAULT-VALUE}, relative to the"
                            + " working directory).")
        Path images = MnistConfig.DEFAULT_IMAGES;

        @Option(
                names = "--labels",
                paramLabel = "FILE",
                description = "IDX labels file, raw or gzip (default: ${DEFAULT-VALUE}).")
        Path labels = MnistConfig.DEFAULT_LABELS;

        @Option(
                names = "--count",
                defaultValue = "0",
                description =
                        "Images to use from the start of the files; 0 uses all (default:"
                            + " ${DEFAULT-VALUE}).")
        int count;

        @Option(
                names = "--task-kind",
                defaultValue = "shift",
                description =
                        "shift (task k adds its shift to labels) or permute (task k permutes"
                            + " pixels) (default: ${DEFAULT-VALUE}).")
        String taskKind;

        @Option(
                names = "--schedule",
                defaultValue = MnistConfig.DEFAULT_SCHEDULE,
                description = "Task names in stage order (default: ${DEFAULT-VALUE}).")
        String schedule;

        @Option(
                names = "--shifts",
                paramLabel = "TASK=SHIFT,...",
                description =
                        "Label shift per task, e.g. A=0,B=1,C=2 (default: the k-th new task shifts"
                            + " by k - 1).")
        String shifts;

        @Override
        public Integer call() throws IOException {
            CommandLine commandLine = spec.commandLine();
            output.check(commandLine);
            MnistConfig config;
            try {
                config =
                        MnistConfig.builder()
                                .images(images)
                                .labels(labels)
                                .count(count)
                                .taskKind(MnistTaskKind.fromId(taskKind))
                                .schedule(schedule)
                                .shifts(MnistConfig.parseShifts(shifts))
                                .seed(output.seed)
                                .build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, e.getMessage());
            }
            for (Path file : List.of(images, labels)) {
                if (!Files.isRegularFile(file)) {
                    throw new ParameterException(
                            commandLine,
                            "MNIST file "
                                    + file.toAbsolutePath()
                                    + " does not exist; the defaults point to the sample in"
                                    + " data/mnist-sample, so run from the repository root or"
                                    + " pass --images and --labels.");
                }
            }
            LabeledImages data = IdxReader.read(images, labels);
            MnistTasks first;
            try {
                first = new MnistTasks(config, data);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, e.getMessage());
            }
            return produce(
                    commandLine,
                    output,
                    seed -> new MnistTasks(config.withSeed(seed), data).iterator(),
                    first.validator(),
                    first.exampleCount());
        }
    }
}
