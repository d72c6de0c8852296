package dev.crossprop.sinks.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} that the job writes beside its results: the experiment's name, task,
 * stage schedule, runs, learners and down-sampling.
 *
 * <p>Every field is optional, because the report also works without a manifest; absent strings are
 * null and absent lists are empty. A field that is present must have the documented type, and the
 * stages must be in order without overlap. Unknown fields are ignored.
 *
 * @param name experiment name, for example {@code geoff-quick}
 * @param codeVersion version of the code that produced the results
 * @param taskKind task family, for example {@code geoff} or {@code mnist}
 * @param taskOutput {@code regression} or {@code classification}
 * @param stages stage schedule in order
 * @param runs runs with their seeds
 * @param learners learners in the order the experiment lists them
 * @param downsamplingMode {@code none} or the job's down-sampling mode, for example {@code mean}
 * @param downsamplingExamples examples per down-sampled record, 1 without down-sampling
 * @param configuration the full experiment configuration, or null
 */
public record Manifest(
        String name,
        String codeVersion,
        String taskKind,
        String taskOutput,
        List<Stage> stages,
        List<Run> runs,
        List<Learner> learners,
        String downsamplingMode,
        int downsamplingExamples,
        JsonNode configuration) {

    /** One run of the experiment; {@code seed} is null when the manifest gives none. */
    public record Run(String run, Long seed) {}

    /**
     * One learner of the experiment.
     *
     * @param label learner label, as in the {@code learner} column of the results
     * @param kind the learner kind, {@link LearnerKind#UNKNOWN} when the manifest's value is not a
     *     known kind
     * @param kindText the manifest's kind as written, or null
     * @param params hyperparameters as written in the manifest, in order
     */
    public record Learner(String label, LearnerKind kind, String kindText, Map<String, String> params) {}

    /** Keeps decimals as written (0.0005, not 5.0E-4), because the page shows them as text. */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /**
     * Reads and checks a manifest file.
     *
     * @throws InvalidResultsException if the file cannot be read, is not JSON, or a field has the
     *     wrong type or an invalid value. The message names the file and the field.
     */
    public static Manifest read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidResultsException(
                    file + ": invalid JSON at line " + e.getLocation().getLineNr() + ": "
                            + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new InvalidResultsException(file + ": reading failed: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidResultsException(file + ": expected a JSON object at the top level");
        }
        return new Reader(file).read(root);
    }

    /** Parses the tree, keeping the file name for messages. */
    private static final class Reader {
        private final Path file;

        Reader(Path file) {
            this.file = file;
        }

        Manifest read(JsonNode root) {
            JsonNode task = object(root, "task");
            JsonNode downsampling = object(root, "downsampling");
            long examples = downsampling == null ? 1 : integer(downsampling, "n", "downsampling.n", 1);
            if (examples < 1 || examples > Integer.MAX_VALUE) {
                throw invalid("downsampling.n", String.valueOf(examples), "an integer >= 1");
            }
            JsonNode configuration = root.get("configuration");
            return new Manifest(
                    text(root, "name", "name"),
                    text(root, "code_version", "code_version"),
                    task == null ? null : text(task, "kind", "task.kind"),
                    task == null ? null : outputOf(task),
                    stages(root),
                    runs(root),
                    learners(root),
                    downsampling == null ? null : text(downsampling, "mode", "downsampling.mode"),
                    (int) examples,
                    configuration == null || configuration.isNull() ? null : configuration);
        }

        private String outputOf(JsonNode task) {
            String output = text(task, "output", "task.output");
            if (output != null && !output.equals("regression") && !output.equals("classification")) {
                throw invalid("task.output", output, "regression or classification");
            }
            return output;
        }

        private List<Stage> stages(JsonNode root) {
            List<Stage> stages = new ArrayList<>();
            JsonNode array = array(root, "stages");
            for (int i = 0; array != null && i < array.size(); i++) {
                JsonNode stage = element(array, i, "stages");
                String path = "stages[" + i + "]";
                String task = text(stage, "task", path + ".task");
                long first = integer(stage, "first_index", path + ".first_index", -1);
                long last = integer(stage, "last_index", path + ".last_index", -1);
                if (first < 0 || last < first) {
                    throw invalid(path, "first_index " + first + ", last_index " + last,
                            "0 <= first_index <= last_index");
                }
                if (!stages.isEmpty() && first <= stages.get(stages.size() - 1).lastIndex()) {
                    throw invalid(path + ".first_index", String.valueOf(first),
                            "an index after the previous stage's last_index "
                                    + stages.get(stages.size() - 1).lastIndex()
                                    + " (stages in order, without overlap)");
                }
                stages.add(new Stage(i + 1, task == null ? "" : task, first, last));
            }
            return Collections.unmodifiableList(stages);
        }

        private List<Run> runs(JsonNode root) {
            List<Run> runs = new ArrayList<>();
            JsonNode array = array(root, "runs");
            for (int i = 0; array != null && i < array.size(); i++) {
                JsonNode run = element(array, i, "runs");
                String path = "runs[" + i + "]";
                String id = text(run, "run", path + ".run");
                if (id == null) {
                    throw invalid(path + ".run", "nothing", "the run id as a string");
                }
                JsonNode seed = run.get("seed");
                Long seedValue = seed == null || seed.isNull() ? null : integer(run, "seed", path + ".seed", 0);
                runs.add(new Run(id, seedValue));
            }
            return Collections.unmodifiableList(runs);
        }

        private List<Learner> learners(JsonNode root) {
            List<Learner> learners = new ArrayList<>();
            JsonNode array = array(root, "learners");
            for (int i = 0; array != null && i < array.size(); i++) {
                JsonNode learner = element(array, i, "learners");
                String path = "learners[" + i + "]";
                String label = text(learner, "label", path + ".label");
                if (label == null) {
                    throw invalid(path + ".label", "nothing", "the learner label as a string");
                }
                String kindText = text(learner, "kind", path + ".kind");
                LearnerKind kind =
                        kindText == null
                                ? LearnerKind.UNKNOWN
                                : LearnerKind.fromId(kindText).orElse(LearnerKind.UNKNOWN);
                learners.add(new Learner(label, kind, kindText, params(learner, path)));
            }
            return Collections.unmodifiableList(learners);
        }

        private Map<String, String> params(JsonNode learner, String path) {
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode node = object(learner, "params", path + ".params");
            if (node == null) {
                return params;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                params.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
            }
            return Collections.unmodifiableMap(params);
        }

        private JsonNode object(JsonNode parent, String field) {
            return object(parent, field, field);
        }

        private JsonNode object(JsonNode parent, String field, String path) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw invalid(path, node.toString(), "a JSON object");
            }
            return node;
        }

        private JsonNode array(JsonNode parent, String field) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isArray()) {
                throw invalid(field, node.toString(), "a JSON array");
            }
            return node;
        }

        private JsonNode element(JsonNode array, int i, String path) {
            JsonNode node = array.get(i);
            if (!node.isObject()) {
                throw invalid(path + "[" + i + "]", node.toString(), "a JSON object");
            }
            return node;
        }

        private String text(JsonNode parent, String field, String path) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                throw invalid(path, node.toString(), "a string");
            }
            return node.textValue();
        }

        /** Reads an integer field, or returns {@code absent} when the field is missing. */
        private long integer(JsonNode parent, String field, String path, long absent) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                if (absent < 0) {
                    throw invalid(path, "nothing", "an integer");
                }
                return absent;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw invalid(path, node.toString(), "an integer");
            }
            return node.longValue();
        }

        private InvalidResultsException invalid(String path, String value, String expected) {
            return new InvalidResultsException(
                    file + ": field '" + path + "' is " + value + "; expected " + expected
                            + ". Fix the manifest, or move it away to let the report infer the"
                            + " stages from the results");
        }
    }
}
