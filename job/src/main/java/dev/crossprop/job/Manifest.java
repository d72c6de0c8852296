package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The manifest written next to a run's results ({@code manifest.json}): the full configuration,
 * the stages, the runs and their seeds, every learner with its settings, the down-sampling and
 * the code version, so that results can be read and reproduced without the YAML file.
 */
public final class Manifest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {}

    /** Returns the version of this build, from the jar manifest, or "development" outside a jar. */
    public static String codeVersion() {
        String version = Manifest.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    public static ObjectNode toJson(ExperimentConfig config, String bootstrapServers) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", config.name());
        root.put("code_version", codeVersion());
        root.put("created_at", Instant.now().toString());
        root.put("configuration_file", config.source());
        root.put("bootstrap_servers", bootstrapServers);

        TaskSpec task = config.task();
        ObjectNode taskNode = root.putObject("task");
        taskNode.put("kind", task.kind().id());
        taskNode.put("output", task.outputKind().id());
        taskNode.put("inputs", task.inputs());
        taskNode.put("outputs", task.outputs());
        ArrayNode stages = root.putArray("stages");
        for (TaskSpec.Stage stage : task.stages()) {
            stages.addObject()
                    .put("task", stage.task())
                    .put("first_index", stage.firstIndex())
                    .put("last_index", stage.lastIndex());
        }

        ArrayNode runs = root.putArray("runs");
        for (long seed : config.seeds()) {
            String run = task.runId(seed);
            runs.addObject()
                    .put("run", run)
                    .put("seed", seed)
                    .put("initial_weights_seed", ExperimentSeeds.initialWeightsSeed(config.initSeed(), run));
        }
        root.put("init_seed", config.initSeed());

        ArrayNode learners = root.putArray("learners");
        for (LearnerSpec learner : config.learners()) {
            ObjectNode node = learners.addObject();
            node.put("label", learner.label());
            node.put("kind", learner.config().kind().id());
            node.set("params", params(learner.config()));
        }

        root.putObject("downsampling")
                .put("mode", config.output().downsample())
                .put("n", config.output().downsampleN());
        root.put("aggregate_bin", config.output().aggregateBin());
        root.set("configuration", MAPPER.valueToTree(config.document()));
        return root;
    }

    static ObjectNode params(LearnerConfig config) {
        ObjectNode params = MAPPER.createObjectNode();
        params.put("inputs", config.inputs());
        params.put("hidden", config.hidden());
        params.put("outputs", config.outputs());
        params.put("activation", config.activation().id());
        params.put("output", config.outputKind().id());
        params.put("init", config.initialization().id());
        params.put("step_size_u", config.stepSizeU());
        params.put("step_size_w", config.stepSizeW());
        LearnerKind kind = config.kind();
        if (kind.usesEta()) {
            params.put("eta", config.eta());
        }
        switch (kind) {
            case MOMENTUM:
                params.put("momentum", config.momentum());
                break;
            case RMSPROP:
                params.put("rms_decay", config.rmsDecay());
                params.put("rms_epsilon", config.rmsEpsilon());
                params.put("rms_initial", config.rmsInitial());
                break;
            case ADAM:
                params.put("adam_beta1", config.adamBeta1());
                params.put("adam_beta2", config.adamBeta2());
                params.put("adam_epsilon", config.adamEpsilon());
                break;
            default:
                break;
        }
        return params;
    }

    public static void write(Path resultsDir, ExperimentConfig config, String bootstrapServers) throws IOException {
        Files.createDirectories(resultsDir);
        MAPPER.writeValue(resultsDir.resolve("manifest.json").toFile(), toJson(config, bootstrapServers));
    }
}
