package dev.crossprop.job.config;

import dev.crossprop.learn.Activation;
import dev.crossprop.learn.Initialization;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;
import dev.crossprop.learn.OutputKind;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an experiment definition from YAML and validates every field before any job starts.
 * A list of values for a learner hyperparameter expands into one learner per value (the
 * cartesian product when several are lists), so a sweep is one job. See {@code conf/README.md}
 * for the fields.
 */
public final class ExperimentConfigLoader {

    /** Default MNIST files: the sample of real digits committed under {@code data/mnist-sample/}. */
    public static final String SAMPLE_IMAGES = "data/mnist-sample/sample-images-idx3-ubyte.gz";

    public static final String SAMPLE_LABELS = "data/mnist-sample/sample-labels-idx1-ubyte.gz";

    private static final Set<String> TOP_FIELDS = Set.of(
            "name", "task", "runs", "network", "learners", "kafka", "output", "checkpoint_interval",
            "parallelism");

    private static final Set<String> LEARNER_FIELDS = Set.of(
            "kind", "label", "step_size", "step_size_u", "step_size_w", "eta", "momentum", "rms_decay",
            "rms_epsilon", "rms_initial", "adam_beta1", "adam_beta2", "adam_epsilon", "hidden",
            "activation", "init");

    /** Short names used in labels for swept hyperparameters. */
    private static final Map<String, String> LABEL_NAMES = Map.ofEntries(
            Map.entry("step_size", "alpha"),
            Map.entry("step_size_u", "alphaU"),
            Map.entry("step_size_w", "alphaW"),
            Map.entry("eta", "eta"),
            Map.entry("momentum", "mu"),
            Map.entry("rms_decay", "rho"),
            Map.entry("rms_epsilon", "eps"),
            Map.entry("rms_initial", "s0"),
            Map.entry("adam_beta1", "b1"),
            Map.entry("adam_beta2", "b2"),
            Map.entry("adam_epsilon", "eps"),
            Map.entry("hidden", "h"));

    private static final List<String> NUMERIC_LEARNER_FIELDS = List.of(
            "step_size", "step_size_u", "step_size_w", "eta", "momentum", "rms_decay", "rms_epsilon",
            "rms_initial", "adam_beta1", "adam_beta2", "adam_epsilon", "hidden");

    private ExperimentConfigLoader() {}

    /** Reads and validates the file; the message of an {@link InvalidConfigException} names it. */
    public static ExperimentConfig load(Path file) {
        String name = file.toString();
        Object document;
        if (Files.isDirectory(file)) {
            throw new InvalidConfigException(name + ": is a folder; give the path of a YAML file such as conf/geoff-quick.yaml");
        }
        // A repeated field would otherwise silently replace the first, for example a second learners list.
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Yaml(new SafeConstructor(options)).load(reader);
        } catch (DuplicateKeyException e) {
            String field = e.getProblem().replaceFirst("^found duplicate key ", "");
            throw new InvalidConfigException(name + ": line " + (e.getProblemMark().getLine() + 1) + ": field '" + field
                    + "' appears twice in one section, and the second would replace the first; keep one of them");
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(name + ": configuration file not found; give the path of a YAML file such as conf/geoff-quick.yaml");
        } catch (IOException e) {
            throw new InvalidConfigException(name + ": cannot read the configuration file: " + e.getMessage());
        } catch (YAMLException e) {
            throw new InvalidConfigException(name + ": invalid YAML: " + e.getMessage());
        }
        return parse(name, document);
    }

    /** Validates a parsed YAML document; {@code source} names it in messages. */
    public static ExperimentConfig parse(String source, Object document) {
        ConfigNode root = ConfigNode.root(source, document);
        root.rejectUnknown(TOP_FIELDS);

        String name = root.requireString("name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw root.error("name", "invalid value '" + name + "'; use letters, digits, '.', '_' and '-' only, since it names the results folder and the topics");
        }
        TaskSpec task = parseTask(root);
        List<Long> seeds = parseRuns(root, task);

        ConfigNode network = root.child("network");
        network.rejectUnknown(Set.of("hidden", "activation", "init", "init_seed"));
        int hidden = network.intValue("hidden", 500, 1, 1 << 20);
        String activation = network.choice("activation", "tanh", List.of("tanh", "sigmoid", "relu"), s -> s);
        String init = network.choice("init", "normal", List.of("normal", "scaled-normal"), s -> s);
        long initSeed = network.longValue("init_seed", 0L);

        if (!root.has("learners")) {
            throw root.error("learners", "missing required field; list at least one learner, for example '- {kind: backprop, step_size: 0.0005}'");
        }
        List<LearnerSpec> learners = new ArrayList<>();
        for (ConfigNode learner : root.children("learners")) {
            learners.addAll(expandLearner(learner, task, hidden, activation, init));
        }
        if (learners.isEmpty()) {
            throw root.error("learners", "empty list; list at least one learner");
        }
        rejectDuplicateLabels(root, learners);

        KafkaSpec kafka = parseKafka(root.child("kafka"), name);
        OutputSpec output = parseOutput(root.child("output"), task);
        Duration checkpointInterval = root.duration("checkpoint_interval", Duration.ofSeconds(10));
        if (checkpointInterval.toMillis() < 10) {
            throw root.error("checkpoint_interval", "value " + checkpointInterval.toMillis() + " ms is too short; allowed: at least 10 ms");
        }
        int parallelism = root.intValue("parallelism", 1, 1, ExperimentConfig.MAX_PARALLELISM);

        @SuppressWarnings("unchecked")
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) document);
        return new ExperimentConfig(
                name, source, task, seeds, learners, initSeed, kafka, output, checkpointInterval,
                parallelism, copy);
    }

    private static TaskSpec parseTask(ConfigNode root) {
        if (!root.has("task")) {
            throw root.error("task", "missing required field; set task.kind to geoff, mnist or live");
        }
        ConfigNode node = root.child("task");
        TaskKind kind = node.choice("kind", null, List.of("geoff", "mnist", "live"), TaskKind::fromId);
        switch (kind) {
            case GEOFF:
                node.rejectUnknown(Set.of("kind", "inputs", "features", "beta", "change_fraction", "examples_per_task", "schedule"));
                return new TaskSpec(
                        kind,
                        node.intValue("inputs", 20, 1, 1 << 16),
                        1,
                        OutputKind.REGRESSION,
                        schedule(node),
                        node.intValue("examples_per_task", 5000, 1, Integer.MAX_VALUE),
                        node.intValue("features", 1000, 1, 1 << 20),
                        node.doubleValue("beta", 0.6, 0.0, 1.0),
                        node.doubleValue("change_fraction", 0.5, 0.0, 1.0),
                        null, null, null);
            case MNIST:
                node.rejectUnknown(Set.of("kind", "images", "labels", "count", "variant", "schedule"));
                return new TaskSpec(
                        kind,
                        784,
                        10,
                        OutputKind.CLASSIFICATION,
                        schedule(node),
                        node.intValue("count", 10000, 1, Integer.MAX_VALUE),
                        0, 0.0, 0.0,
                        node.string("images", SAMPLE_IMAGES),
                        node.string("labels", SAMPLE_LABELS),
                        node.choice("variant", "shift", List.of("shift", "permute"), s -> s));
            default:
                node.rejectUnknown(Set.of("kind", "inputs", "outputs", "output"));
                if (!node.has("inputs")) {
                    throw node.error("inputs", "missing required field for a live task; set the number of inputs of every example");
                }
                OutputKind outputKind = node.choice(
                        "output", "regression", List.of("regression", "classification"), OutputKind::fromId);
                return new TaskSpec(
                        kind,
                        node.intValue("inputs", 0, 1, 1 << 20),
                        node.intValue("outputs", outputKind == OutputKind.CLASSIFICATION ? 10 : 1, 1, 1 << 16),
                        outputKind,
                        List.of(),
                        0, 0, 0.0, 0.0, null, null, null);
        }
    }

    private static List<String> schedule(ConfigNode node) {
        List<String> schedule = node.has("schedule") ? node.stringList("schedule") : List.of("A", "B", "C", "A", "B", "C");
        for (String task : schedule) {
            if (!task.matches("[A-Za-z0-9_]+")) {
                throw node.error("schedule", "invalid task name '" + task + "'; use letters, digits and '_', for example A,B,C,A,B,C");
            }
        }
        if (schedule.isEmpty()) {
            throw node.error("schedule", "empty schedule; give at least one task, for example A,B,C,A,B,C");
        }
        return schedule;
    }

    private static List<Long> parseRuns(ConfigNode root, TaskSpec task) {
        ConfigNode runs = root.child("runs");
        runs.rejectUnknown(Set.of("count", "first_seed", "seeds"));
        if (runs.has("seeds")) {
            if (runs.has("count") || runs.has("first_seed")) {
                throw runs.error("seeds", "give either seeds or count and first_seed, not both");
            }
            List<Long> seeds = new ArrayList<>();
            Object raw = runs.raw("seeds");
            if (!(raw instanceof List) || ((List<?>) raw).isEmpty()) {
                throw runs.error("seeds", "expected a non-empty list of whole numbers, found " + ConfigNode.describe(raw));
            }
            for (Object seed : (List<?>) raw) {
                try {
                    seeds.add(Long.parseLong(seed.toString().trim()));
                } catch (NumberFormatException e) {
                    throw runs.error("seeds", "expected whole numbers, found '" + seed + "'");
                }
            }
            if (new HashSet<>(seeds).size() != seeds.size()) {
                throw runs.error("seeds", "contains a seed twice " + seeds + "; runs must have distinct seeds");
            }
            return seeds;
        }
        int count = runs.intValue("count", task.kind() == TaskKind.LIVE ? 0 : 1, 0, 100_000);
        long first = runs.longValue("first_seed", 1L);
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add(first + i);
        }
        if (seeds.isEmpty() && task.kind() != TaskKind.LIVE) {
            throw runs.error("count", "value 0 is out of range for a generated task; allowed: at least 1");
        }
        return seeds;
    }

    private static List<LearnerSpec> expandLearner(
            ConfigNode node, TaskSpec task, int defaultHidden, String defaultActivation, String defaultInit) {
        node.rejectUnknown(LEARNER_FIELDS);
        List<String> allowedKinds = Arrays.stream(LearnerKind.values()).map(LearnerKind::id).collect(Collectors.toList());
        LearnerKind kind = node.choice("kind", null, allowedKinds, LearnerKind::fromId);
        if (!node.has("kind")) {
            throw node.error("kind", "missing required field; allowed: " + String.join(", ", allowedKinds));
        }
        if (!node.has("step_size") && !(node.has("step_size_u") && node.has("step_size_w"))) {
            throw node.error("step_size", "missing required field; set step_size (for example 0.0005), or both step_size_u and step_size_w");
        }
        rejectFieldsOfOtherKinds(node, kind);

        // Every numeric field may be a list; the learners are the cartesian product of the lists.
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (String field : NUMERIC_LEARNER_FIELDS) {
            double max = field.equals("hidden") ? (1 << 20) : Double.MAX_VALUE;
            double min = field.equals("hidden") ? 1 : -Double.MAX_VALUE;
            List<Double> list = node.doubleValues(field, min, max);
            if (!list.isEmpty()) {
                values.put(field, list);
            }
        }
        List<Map<String, Double>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Double>> entry : values.entrySet()) {
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> partial : combinations) {
                for (double value : entry.getValue()) {
                    Map<String, Double> extended = new LinkedHashMap<>(partial);
                    extended.put(entry.getKey(), value);
                    next.add(extended);
                }
            }
            combinations = next;
        }
        if (combinations.size() > 10_000) {
            throw node.error("kind", "the sweep expands into " + combinations.size() + " learners; allowed: at most 10000");
        }

        String explicitLabel = node.string("label", null);
        if (explicitLabel != null && combinations.size() > 1) {
            throw node.error("label", "a label names one learner, but this entry sweeps " + combinations.size() + " learners; drop the label to get generated ones");
        }
        Activation activation = Activation.fromId(node.choice("activation", defaultActivation, List.of("tanh", "sigmoid", "relu"), s -> s));
        Initialization init = Initialization.fromId(node.choice("init", defaultInit, List.of("normal", "scaled-normal"), s -> s));

        List<LearnerSpec> specs = new ArrayList<>();
        for (Map<String, Double> combination : combinations) {
            LearnerConfig config = buildConfig(node, kind, task, combination, defaultHidden, activation, init);
            String label = explicitLabel != null ? explicitLabel : label(kind, combination, values);
            if (!label.matches("[A-Za-z0-9._-]+")) {
                throw node.error("label", "invalid value '" + label + "'; use letters, digits, '.', '_' and '-' only");
            }
            specs.add(new LearnerSpec(label, config));
        }
        return specs;
    }

    private static LearnerConfig buildConfig(
            ConfigNode node, LearnerKind kind, TaskSpec task, Map<String, Double> values, int defaultHidden,
            Activation activation, Initialization init) {
        // Checked here so that the message names the field as written; LearnerConfig calls them alpha_U and alpha_W.
        for (String field : List.of("step_size", "step_size_u", "step_size_w")) {
            Double value = values.get(field);
            if (value != null && !(value > 0)) {
                throw node.error(field, "value " + value + " must be greater than 0; the paper's learners use 0.0005 on GEOFF");
            }
        }
        int hidden = values.containsKey("hidden") ? (int) Math.round(values.get("hidden")) : defaultHidden;
        LearnerConfig.Builder builder = LearnerConfig.builder(kind, task.inputs(), hidden, task.outputs())
                .activation(activation)
                .outputKind(task.outputKind())
                .initialization(init);
        try {
            for (Map.Entry<String, Double> entry : values.entrySet()) {
                double value = entry.getValue();
                switch (entry.getKey()) {
                    case "step_size": builder.stepSize(value); break;
                    case "step_size_u": builder.stepSizeU(value); break;
                    case "step_size_w": builder.stepSizeW(value); break;
                    case "eta": builder.eta(value); break;
                    case "momentum": builder.momentum(value); break;
                    case "rms_decay": builder.rmsDecay(value); break;
                    case "rms_epsilon": builder.rmsEpsilon(value); break;
                    case "rms_initial": builder.rmsInitial(value); break;
                    case "adam_beta1": builder.adamBeta1(value); break;
                    case "adam_beta2": builder.adamBeta2(value); break;
                    case "adam_epsilon": builder.adamEpsilon(value); break;
                    default: break;
                }
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(node.file() + ": learner " + node.fieldPath("kind").replace(".kind", "") + " (" + kind.id() + "): " + e.getMessage());
        }
    }

    private static void rejectFieldsOfOtherKinds(ConfigNode node, LearnerKind kind) {
        Map<String, Set<LearnerKind>> owners = Map.of(
                "eta", Set.of(LearnerKind.CROSSPROP, LearnerKind.CROSSPROP_APPROX),
                "momentum", Set.of(LearnerKind.MOMENTUM),
                "rms_decay", Set.of(LearnerKind.RMSPROP),
                "rms_epsilon", Set.of(LearnerKind.RMSPROP),
                "rms_initial", Set.of(LearnerKind.RMSPROP),
                "adam_beta1", Set.of(LearnerKind.ADAM),
                "adam_beta2", Set.of(LearnerKind.ADAM),
                "adam_epsilon", Set.of(LearnerKind.ADAM));
        for (Map.Entry<String, Set<LearnerKind>> entry : owners.entrySet()) {
            if (node.has(entry.getKey()) && !entry.getValue().contains(kind)) {
                String kinds = entry.getValue().stream().map(LearnerKind::id).sorted().collect(Collectors.joining(", "));
                throw node.error(entry.getKey(), "does not apply to learner kind " + kind.id() + "; it applies to: " + kinds);
            }
        }
    }

    /**
     * Builds a label from the kind and the swept values, for example {@code crossprop-eta0.5} or
     * {@code adam-alpha0.001}. The crossprop learners always carry eta, since it changes the algorithm.
     */
    static String label(LearnerKind kind, Map<String, Double> combination, Map<String, List<Double>> values) {
        StringBuilder label = new StringBuilder(kind.id());
        for (Map.Entry<String, Double> entry : combination.entrySet()) {
            boolean swept = values.get(entry.getKey()).size() > 1;
            boolean eta = entry.getKey().equals("eta");
            if (swept || eta) {
                label.append('-').append(LABEL_NAMES.get(entry.getKey())).append(formatNumber(entry.getValue()));
            }
        }
        if (kind.usesEta() && !combination.containsKey("eta")) {
            label.append("-eta0");
        }
        return label.toString();
    }

    static String formatNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String text = java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return text.length() <= 12 ? text : String.format(Locale.ROOT, "%.6g", value);
    }

    private static void rejectDuplicateLabels(ConfigNode root, List<LearnerSpec> learners) {
        Set<String> seen = new HashSet<>();
        for (LearnerSpec learner : learners) {
            if (!seen.add(learner.label())) {
                throw root.error("learners", "two learners have the label '" + learner.label() + "'; give one of them a distinct label");
            }
        }
    }

    private static KafkaSpec parseKafka(ConfigNode node, String name) {
        node.rejectUnknown(Set.of("topic", "partitions", "format", "errors_topic", "norms_topic", "aggregates_topic", "dead_letter_topic",
                "compression"));
        return new KafkaSpec(
                node.string("topic", name + "-examples"),
                node.intValue("partitions", 4, 1, 10_000),
                node.choice("format", "binary", List.of("json", "binary"), s -> s),
                node.string("errors_topic", name + "-errors"),
                node.string("norms_topic", name + "-norms"),
                node.string("aggregates_topic", name + "-aggregates"),
                node.string("dead_letter_topic", name + "-dead-letters"),
                node.choice("compression", KafkaSpec.DEFAULT_COMPRESSION, KafkaSpec.COMPRESSION_TYPES, s -> s));
    }

    private static OutputSpec parseOutput(ConfigNode node, TaskSpec task) {
        node.rejectUnknown(Set.of("downsample", "downsample_n", "aggregate_bin"));
        String mode = node.choice("downsample", "none", List.of("none", "every", "mean"), s -> s);
        int n = node.intValue("downsample_n", 1, 1, Integer.MAX_VALUE);
        if (mode.equals("none") && n != 1) {
            throw node.error("downsample_n", "value " + n + " has no effect without down-sampling; set downsample to every or mean");
        }
        int defaultBin = task.examplesPerStage() > 0 ? Math.max(1, task.examplesPerStage() / 50) : 100;
        int bin = node.intValue("aggregate_bin", defaultBin, 1, Integer.MAX_VALUE);
        return new OutputSpec(mode, n, bin);
    }
}
