package dev.crossprop.job.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.crossprop.job.ExamplesTopicCheck;
import dev.crossprop.job.ExperimentExamples;
import dev.crossprop.job.ExperimentSeeds;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.config.InvalidConfigException;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.config.TaskKind;
import dev.crossprop.learn.Activation;
import dev.crossprop.learn.Initialization;
import dev.crossprop.learn.Learner;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;
import dev.crossprop.learn.OutputKind;
import dev.crossprop.learn.StepResult;
import dev.crossprop.learn.Weights;
import dev.crossprop.learn.WeightsJson;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleJson;
import dev.crossprop.sources.InvalidExampleException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code replay} command: trains one learner offline on a JSON lines file of examples, in
 * file order, and writes one JSON line of results per example, without Flink or Kafka.
 *
 * <p>A replay learns one run, as one experiment of the streaming job does: the run that
 * {@code --run} names, or else the run of the first example. The other runs' lines are skipped and
 * counted. An index that does not increase stops the replay like an invalid line, because
 * learning from it would learn an example twice.
 *
 * <p>With {@code --config} and {@code --experiment}, the learner, its settings and the seed of its
 * initial weights come from the job's experiment file, so the replay reproduces that experiment's
 * records bit for bit, on a cluster's job as on {@code local}. For a GEOFF or MNIST file the replay
 * also generates the run's examples, or checks those of {@code --examples} against them, since
 * examples made with other task settings would give other records without any error.
 *
 * <p>The number of inputs m comes from the first example, and so do the number of outputs k
 * (the length of its y) and the output kind, unless {@code --output} sets the kind. A
 * classification example has a label instead of y, so there k comes from {@code --outputs}. Blank
 * lines are skipped. A line that is not a valid example, or that does not fit the learner, stops
 * the replay with exit code 1 and a message naming the line; the output keeps the results of
 * every line before it. A learner that diverges writes its last line with {@code "diverged":
 * true} and nulls in place of non-finite numbers, and the replay stops there with exit code 0.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Train one learner on a JSON lines file of examples and write one JSON line "
                + "of results per example: index, task, error, correct (classification), u_change and "
                + "w_change (Frobenius norms of U - U0 and W - W0).")
public final class ReplayCommand implements Callable<Integer> {

    /** Exit code when an example line is invalid or does not fit the learner. */
    static final int EXIT_BAD_EXAMPLE = 1;

    private static final JsonFactory JSON = new JsonFactory();

    @Spec CommandSpec spec;

    @Option(names = "--examples", paramLabel = "FILE",
            description = "JSON lines file, one example per line. With --config of a GEOFF or MNIST"
                    + " file, optional: the replay then generates the run's examples as the job's"
                    + " producer does, and a given file is checked against them.")
    Path examples;

    @Option(names = "--run", paramLabel = "ID",
            description = "Learn only the examples of this run. Default: the run of the first"
                    + " example; lines of other runs are skipped.")
    String run;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The job's experiment file. With --experiment, it sets the learner, its"
                    + " settings and the seed of the initial weights as the job does.")
    Path configFile;

    @Option(names = "--experiment", paramLabel = "RUN/LABEL",
            description = "With --config: the experiment to replay, as the job's records name it,"
                    + " for example geoff-seed-1/crossprop-eta0.5.")
    String experiment;

    @Option(names = "--learner", paramLabel = "NAME",
            description = "crossprop, crossprop-approx, backprop, momentum, rmsprop or adam;"
                    + " required unless --config is given.")
    String learner;

    @Option(names = "--eta", paramLabel = "E",
            description = "Mix of crossprop (0) and backprop (1), in [0, 1]; crossprop learners"
                    + " only. Default: 0.")
    Double eta;

    @Option(names = "--step-size", paramLabel = "A",
            description = "Step size of U, b, W and c. Default: 0.0005.")
    Double stepSize;

    @Option(names = "--step-size-u", paramLabel = "A",
            description = "Step size of U and b; overrides --step-size.")
    Double stepSizeU;

    @Option(names = "--step-size-w", paramLabel = "A",
            description = "Step size of W and c; overrides --step-size.")
    Double stepSizeW;

    @Option(names = "--hidden", paramLabel = "N",
            description = "Number of hidden units. Default: 500, or the size of --init-weights.")
    Integer hidden;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "tanh, sigmoid or relu. Default: tanh.")
    String activation;

    @Option(names = "--output", paramLabel = "KIND",
            description = "regression or classification. Default: the kind of the first example.")
    String output;

    @Option(names = "--outputs", paramLabel = "K",
            description = "Number of classes for classification. Default: 10.")
    Integer outputs;

    @Option(names = "--init", paramLabel = "NAME",
            description = "Initial weights drawn from normal (N(0, 1)) or scaled-normal"
                    + " (N(0, 1) / sqrt(fan-in)). Default: normal.")
    String init;

    @ArgGroup(exclusive = true)
    Start start = new Start();

    /** Source of the initial weights: a seed or a file, not both. */
    static final class Start {
        @Option(names = "--seed", paramLabel = "S",
                description = "Seed of the initial weights. Default: 0.")
        Long seed;

        @Option(names = "--init-weights", paramLabel = "FILE",
                description = "JSON file with the initial weights {\"U\", \"b\", \"W\", \"c\"}.")
        Path initWeights;
    }

    @Option(names = "--dump-initial-weights", paramLabel = "FILE",
            description = "Also write the initial weights to this JSON file.")
    Path dumpInitialWeights;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Results file, JSON lines; replaced if it exists.")
    Path out;

    /** The experiment of --config and --experiment, or null when the options set the learner. */
    private LearnerSpec fileLearner;

    /** The seed of {@link #fileLearner}'s initial weights. */
    private long fileSeed;

    /** The experiment file of --config, or null. */
    private ExperimentConfig fileConfig;

    @Override
    public Integer call() throws IOException {
        if (configFile != null || experiment != null) {
            resolveExperiment();
        } else if (learner == null) {
            throw new ParameterException(spec.commandLine(),
                    "Missing --learner: give a learner kind (for example --learner crossprop), or replay one"
                            + " experiment of a job with --config FILE --experiment RUN/LABEL.");
        }
        boolean runChosen = run != null;
        Iterator<Example> generated = generatedExamples();
        if (examples == null && generated == null) {
            throw new ParameterException(spec.commandLine(), "Missing --examples FILE, the JSON lines file of"
                    + " the examples to learn; only with --config of a GEOFF or MNIST file can it be left out.");
        }
        if (examples != null && !Files.isRegularFile(examples)) {
            throw new ParameterException(
                    spec.commandLine(), "Examples file " + examples + " not found.");
        }
        PrintWriter err = spec.commandLine().getErr();
        // As produce --out does, create the output's folder when it is missing.
        Path folder = out.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            Replay replay = new Replay(writer, examples == null ? null : generated);
            if (examples == null) {
                learnAll(replay, generated, err);
            } else {
                Integer exit = learnFile(replay, err);
                if (exit != null) {
                    return exit;
                }
            }
            if (replay.model == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        replay.otherRuns.isEmpty()
                                ? "No examples in " + examples + ": the file is empty."
                                : "No examples of run '" + run + "' in " + examples + "; its runs are "
                                        + describeRuns(replay.otherRuns) + ". Give examples of run '" + run + "'.");
            }
            err.printf("Replayed %d examples of run %s with %s into %s%n",
                    replay.written, replay.learnedRun, learnerName(), out);
            if (replay.skippedLines > 0 && !runChosen) {
                err.printf("Skipped %s of %s (%s); choose a run with --run%n",
                        count(replay.skippedLines, "line"), count(replay.otherRuns.size(), "other run"),
                        describeRuns(replay.otherRuns));
            }
        }
        return 0;
    }

    /** Learns the lines of --examples; returns an exit code when the replay must stop with one, else null. */
    private Integer learnFile(Replay replay, PrintWriter err) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(examples, StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (!replay.learn(ExampleJson.parse(line))) {
                        err.printf(
                                "Learner %s diverged at step %d (line %d of %s); the replay"
                                        + " stopped there. Try a smaller step size.%n",
                                learnerName(), replay.model.divergedAtStep(), lineNumber, examples);
                        return null;
                    }
                } catch (InvalidExampleException | IllegalArgumentException e) {
                    replay.writer.flush();
                    err.printf(
                            "Line %d of %s is invalid: %s%n%s holds the results of the %d"
                                    + " example(s) before it. Fix what the message names and replay again.%n",
                            lineNumber, examples, e.getMessage(), out, replay.written);
                    return EXIT_BAD_EXAMPLE;
                }
            }
        }
        return null;
    }

    /** Learns the generated examples of the run, until the end or until the learner diverges. */
    private void learnAll(Replay replay, Iterator<Example> generated, PrintWriter err) throws IOException {
        while (generated.hasNext()) {
            Example example = generated.next();
            if (!replay.learn(example)) {
                err.printf("Learner %s diverged at step %d (example %d); the replay stopped there."
                        + " Try a smaller step size.%n", learnerName(), replay.model.divergedAtStep(), example.index());
                return;
            }
        }
    }

    /**
     * Returns the examples that the job's producer writes for the run of --experiment, or null
     * without --config or for a live task, whose examples come from the user's producers.
     */
    private Iterator<Example> generatedExamples() throws IOException {
        if (fileConfig == null || fileConfig.task().kind() == TaskKind.LIVE) {
            return null;
        }
        long seed = fileConfig.seeds().get(fileConfig.runIds().indexOf(run));
        return ExperimentExamples.run(fileConfig.task(), seed);
    }

    private String learnerName() {
        return fileLearner != null ? fileLearner.label() : learner;
    }

    private static String describeRuns(Set<String> runs) {
        List<String> firstRuns = new ArrayList<>(runs).subList(0, Math.min(5, runs.size()));
        return String.join(", ", firstRuns) + (runs.size() > firstRuns.size() ? " and more" : "");
    }

    /**
     * Takes the learner and seed of --experiment from --config, and rejects options that would
     * contradict them.
     */
    private void resolveExperiment() {
        if (configFile == null || experiment == null) {
            throw new ParameterException(spec.commandLine(), configFile == null
                    ? "--experiment needs --config, the experiment file of the job that ran it."
                    : "--config needs --experiment RUN/LABEL, for example --experiment geoff-seed-1/backprop.");
        }
        String[][] setByFile = {
            {"--learner", learner}, {"--eta", str(eta)}, {"--step-size", str(stepSize)},
            {"--step-size-u", str(stepSizeU)}, {"--step-size-w", str(stepSizeW)}, {"--hidden", str(hidden)},
            {"--activation", activation}, {"--init", init}, {"--output", output}, {"--outputs", str(outputs)},
            {"--seed", str(start.seed)}, {"--init-weights", str(start.initWeights)},
        };
        for (String[] option : setByFile) {
            if (option[1] != null) {
                throw new ParameterException(spec.commandLine(), option[0] + " " + option[1]
                        + " conflicts with --config: the experiment file sets the learner, its settings, the"
                        + " network and the seed; leave " + option[0] + " out.");
            }
        }

        ExperimentConfig config;
        try {
            config = ExperimentConfigLoader.load(configFile);
        } catch (InvalidConfigException e) {
            throw new ParameterException(spec.commandLine(), "Invalid configuration: " + e.getMessage(), e);
        }
        int slash = experiment.lastIndexOf('/');
        String experimentRun = slash > 0 ? experiment.substring(0, slash) : "";
        String label = experiment.substring(slash + 1);
        fileLearner = config.learners().stream().filter(l -> l.label().equals(label)).findFirst().orElse(null);
        if (experimentRun.isEmpty() || fileLearner == null) {
            throw new ParameterException(spec.commandLine(), "Invalid --experiment " + experiment
                    + ": give RUN/LABEL with one of the learner labels of " + configFile + ": "
                    + String.join(", ", config.learners().stream().map(LearnerSpec::label).toList()));
        }
        // Live tasks name their runs in the data, so only a generated task's runs are known here.
        if (!config.runIds().isEmpty() && !config.runIds().contains(experimentRun)) {
            throw new ParameterException(spec.commandLine(), "Invalid --experiment " + experiment + ": "
                    + configFile + " has no run '" + experimentRun + "'; its runs are "
                    + describeRuns(new TreeSet<>(config.runIds())));
        }
        if (run != null && !run.equals(experimentRun)) {
            throw new ParameterException(spec.commandLine(), "--run " + run + " differs from the run of --experiment "
                    + experiment + "; leave --run out.");
        }
        run = experimentRun;
        fileSeed = ExperimentSeeds.initialWeightsSeed(config.initSeed(), experimentRun);
        fileConfig = config;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }

    /** The learner, created from the first example, and the results written so far. */
    private final class Replay {
        final Writer writer;
        Learner model;
        long written;

        /** The run of the first example learned, and the index of the last one. */
        String learnedRun;
        long lastIndex;

        /** Lines of runs other than the one learned, and those runs. */
        long skippedLines;
        final Set<String> otherRuns = new TreeSet<>();

        /** The generated examples of the run, to check the file's against; null when not checked. */
        final Iterator<Example> expected;

        Replay(Writer writer, Iterator<Example> expected) {
            this.writer = writer;
            this.expected = expected;
        }

        /**
         * Learns from one example, or skips it when it belongs to another run than the one learned.
         * Returns false once the learner has diverged.
         */
        boolean learn(Example example) throws IOException {
            String learning = run != null ? run : learnedRun;
            if (learning != null && !learning.equals(example.run())) {
                skippedLines++;
                otherRuns.add(example.run());
                return true;
            }
            if (model == null) {
                model = createLearner(example);
                learnedRun = example.run();
            } else {
                checkOrder(example);
            }
            if (expected != null) {
                checkGenerated(example);
            }
            lastIndex = example.index();
            StepResult result;
            if (model.config().outputKind() == OutputKind.CLASSIFICATION) {
                if (!example.isClassification()) {
                    throw new IllegalArgumentException(
                            "example " + example.index() + " has targets y but the learner is"
                                    + " configured for classification; give a label");
                }
                result = model.step(example.x(), example.label());
            } else {
                if (example.isClassification()) {
                    throw new IllegalArgumentException(
                            "example " + example.index() + " has a label but the learner is"
                                    + " configured for regression; give targets y");
                }
                result = model.step(example.x(), example.y());
            }
            writeResult(example, result);
            written++;
            return !result.diverged();
        }

        /** Checks that the example equals the one the experiment file generates at its index. */
        private void checkGenerated(Example example) {
            Example generated = null;
            while (expected.hasNext()) {
                generated = expected.next();
                if (generated.index() >= example.index()) {
                    break;
                }
            }
            String difference = generated == null || generated.index() != example.index()
                    ? "the generated run has no example " + example.index()
                    : ExamplesTopicCheck.difference(example, generated);
            if (difference != null) {
                throw new IllegalArgumentException("example " + example.index() + " of run '" + example.run()
                        + "' differs from the one that " + configFile + " generates for it (" + difference
                        + "), so the file was made with other task settings. Leave --examples out to replay the"
                        + " generated examples");
            }
        }

        private void checkOrder(Example example) {
            if (example.index() <= lastIndex) {
                throw new IllegalArgumentException(
                        "index " + example.index() + " of run '" + learnedRun + "' does not"
                                + " follow index " + lastIndex + "; a replay needs each run's"
                                + " examples in increasing index order, once each");
            }
        }

        private void writeResult(Example example, StepResult result) throws IOException {
            // The generator must not close the file writer: it only writes this one line.
            JsonGenerator json = JSON.createGenerator(writer);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeNumberField("index", example.index());
            json.writeStringField("task", example.task());
            writeFinite(json, "error", result.error());
            if (result.hasCorrect()) {
                json.writeBooleanField("correct", result.correct());
            }
            writeFinite(json, "u_change", result.uChange());
            writeFinite(json, "w_change", result.wChange());
            if (result.diverged()) {
                json.writeBooleanField("diverged", true);
            }
            json.writeEndObject();
            json.close();
            writer.write('\n');
        }

        private void writeFinite(JsonGenerator json, String field, double value)
                throws IOException {
            if (Double.isFinite(value)) {
                json.writeNumberField(field, value);
            } else {
                json.writeNullField(field);
            }
        }
    }

    private Learner createLearner(Example first) throws IOException {
        Learner created = fileLearner != null ? learnerOfFile(first) : learnerOfOptions(first);
        if (dumpInitialWeights != null) {
            WeightsJson.write(created.initialWeights(), dumpInitialWeights);
        }
        return created;
    }

    /** Creates the learner of --experiment with the settings and the seed that the job gave it. */
    private Learner learnerOfFile(Example first) {
        LearnerConfig config = fileLearner.config();
        if (first.x().length != config.inputs()) {
            throw new IllegalArgumentException("the first example of run '" + first.run() + "' has "
                    + first.x().length + " inputs, but " + configFile + " sets " + config.inputs()
                    + "; give the examples of that experiment file's task");
        }
        return Learner.create(config, fileSeed);
    }

    private Learner learnerOfOptions(Example first) throws IOException {
        Weights initial = null;
        if (start.initWeights != null) {
            try {
                initial = WeightsJson.read(start.initWeights);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
        }
        LearnerConfig config = configFor(first, initial);
        try {
            return initial == null
                    ? Learner.create(config, start.seed == null ? 0L : start.seed)
                    : Learner.create(config, initial);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), start.initWeights + " does not fit: " + e.getMessage(), e);
        }
    }

    /** Builds the configuration from the options and the first example; rejects bad options. */
    private LearnerConfig configFor(Example first, Weights initial) {
        try {
            OutputKind kind =
                    output != null
                            ? OutputKind.fromId(output)
                            : first.isClassification()
                                    ? OutputKind.CLASSIFICATION
                                    : OutputKind.REGRESSION;
            int m = first.x().length;
            int k = outputCount(first, kind);
            int n = hiddenCount(initial);
            LearnerConfig.Builder builder =
                    LearnerConfig.builder(LearnerKind.fromId(learner), m, n, k)
                            .activation(Activation.fromId(activation == null ? "tanh" : activation))
                            .outputKind(kind)
                            .initialization(Initialization.fromId(init == null ? "normal" : init));
            if (stepSize != null) {
                builder.stepSize(stepSize);
            }
            if (stepSizeU != null) {
                builder.stepSizeU(stepSizeU);
            }
            if (stepSizeW != null) {
                builder.stepSizeW(stepSizeW);
            }
            if (eta != null) {
                builder.eta(eta);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private int outputCount(Example first, OutputKind kind) {
        if (kind == OutputKind.REGRESSION) {
            if (first.isClassification()) {
                throw new IllegalArgumentException(
                        "--output regression needs targets y, but the first example has a label");
            }
            if (outputs != null && outputs != first.y().length) {
                throw new IllegalArgumentException(
                        "--outputs " + outputs + " disagrees with the first example's "
                                + first.y().length + " targets; leave --outputs out for regression");
            }
            return first.y().length;
        }
        return outputs == null ? 10 : outputs;
    }

    private int hiddenCount(Weights initial) {
        if (initial == null) {
            return hidden == null ? 500 : hidden;
        }
        if (hidden != null && hidden != initial.hidden()) {
            throw new IllegalArgumentException(
                    "--hidden " + hidden + " disagrees with the " + initial.hidden()
                            + " hidden units of " + start.initWeights + "; leave --hidden out");
        }
        return initial.hidden();
    }
}
