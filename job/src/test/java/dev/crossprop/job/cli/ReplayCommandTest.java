package dev.crossprop.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossprop.job.ExperimentExamples;
import dev.crossprop.job.ExperimentSeeds;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.learn.Learner;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;
import dev.crossprop.learn.OutputKind;
import dev.crossprop.learn.StepResult;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final List<String> REGRESSION = List.of(
            "{\"run\": \"r1\", \"index\": 0, \"task\": \"A\", \"x\": [1, 0, 0.5], \"y\": [0.3]}",
            "{\"run\": \"r1\", \"index\": 1, \"task\": \"A\", \"x\": [0, 1, 1], \"y\": [-1.2]}",
            "",
            "{\"run\": \"r1\", \"index\": 2, \"task\": \"B\", \"x\": [1, 1, 0], \"y\": [2.5]}");

    private static final List<String> CLASSIFICATION = List.of(
            "{\"run\": \"r2\", \"index\": 0, \"task\": \"A\", \"x\": [0.2, 0, 0.9], \"label\": 2}",
            "{\"run\": \"r2\", \"index\": 1, \"task\": \"A\", \"x\": [0, 0.7, 0.1], \"label\": 0}");

    @TempDir Path dir;
    private final StringWriter err = new StringWriter();

    private int replay(String... args) {
        CommandLine command = new CommandLine(new CrosspropCommand());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        return command.execute(all);
    }

    /** Replays {@code examples} with a backprop learner of 3 hidden units into {@code out}. */
    private int replayBackprop(Path examples, Path out) {
        return replay("--examples", examples.toString(), "--learner", "backprop", "--hidden", "3",
                "--out", out.toString());
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }

    private static List<JsonNode> results(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(ReplayCommandTest::parse).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("Output line is not JSON: " + line, e);
        }
    }

    @Test
    void regressionReplayMatchesLearner() throws IOException {
        Path examples = write("reg.jsonl", REGRESSION);
        Path out = dir.resolve("out.jsonl");
        int code = replay("--examples", examples.toString(), "--learner", "crossprop",
                "--eta", "0.5", "--step-size", "0.1", "--hidden", "4", "--seed", "7",
                "--out", out.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();

        // Expected values: the same learner driven directly through the library.
        Learner learner = Learner.create(
                LearnerConfig.builder(LearnerKind.CROSSPROP, 3, 4, 1)
                        .eta(0.5).stepSize(0.1).build(), 7L);
        double[][] x = {{1, 0, 0.5}, {0, 1, 1}, {1, 1, 0}};
        double[] y = {0.3, -1.2, 2.5};
        List<JsonNode> lines = results(out);
        assertThat(lines).hasSize(3);
        for (int t = 0; t < 3; t++) {
            StepResult expected = learner.step(x[t], new double[] {y[t]});
            JsonNode line = lines.get(t);
            assertThat(line.get("index").asLong()).isEqualTo(t);
            assertThat(line.get("error").asDouble()).isEqualTo(expected.error());
            assertThat(line.get("u_change").asDouble()).isEqualTo(expected.uChange());
            assertThat(line.get("w_change").asDouble()).isEqualTo(expected.wChange());
            assertThat(line.has("correct")).isFalse();
            assertThat(line.has("diverged")).isFalse();
        }
        assertThat(lines.get(2).get("task").asText()).isEqualTo("B");
    }

    @Test
    void classificationReplayReportsCorrect() throws IOException {
        Path examples = write("cls.jsonl", CLASSIFICATION);
        Path out = dir.resolve("out.jsonl");
        int code = replay("--examples", examples.toString(), "--learner", "adam",
                "--outputs", "3", "--hidden", "5", "--out", out.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();

        Learner learner = Learner.create(
                LearnerConfig.builder(LearnerKind.ADAM, 3, 5, 3)
                        .outputKind(OutputKind.CLASSIFICATION).build(), 0L);
        StepResult first = learner.step(new double[] {0.2, 0, 0.9}, 2);
        List<JsonNode> lines = results(out);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("error").asDouble()).isEqualTo(first.error());
        assertThat(lines.get(0).get("correct").asBoolean()).isEqualTo(first.correct());
        assertThat(lines.get(1).has("correct")).isTrue();
    }

    @Test
    void missingOutputFolderIsCreated() throws IOException {
        Path examples = write("reg.jsonl", REGRESSION);
        Path out = dir.resolve("new/folder/out.jsonl");

        int code = replayBackprop(examples, out);

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        // Three examples: the blank line is skipped.
        assertThat(results(out)).hasSize(3);
    }

    @Test
    void malformedLineStopsWithLineNumber() throws IOException {
        Path examples = write("bad.jsonl", List.of(
                REGRESSION.get(0),
                REGRESSION.get(1),
                "{\"run\": \"r1\", \"index\": 2, \"task\": \"A\", \"x\": [1, 0, ",
                REGRESSION.get(3)));
        Path out = dir.resolve("out.jsonl");
        int code = replayBackprop(examples, out);
        assertThat(code).isEqualTo(ReplayCommand.EXIT_BAD_EXAMPLE);
        assertThat(err.toString())
                .contains("Line 3 of " + examples)
                .contains("holds the results of the 2 example(s) before it");
        assertThat(results(out)).hasSize(2);
    }

    @Test
    void withoutRunOptionTheFirstRunIsLearned() throws IOException {
        Path examples = write("runs.jsonl", List.of(
                REGRESSION.get(0),
                REGRESSION.get(0).replace("r1", "r2"),
                REGRESSION.get(1),
                REGRESSION.get(1).replace("r1", "r3")));
        Path out = dir.resolve("out.jsonl");
        int code = replayBackprop(examples, out);
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(results(out)).extracting(line -> line.get("index").asLong()).containsExactly(0L, 1L);
        assertThat(err.toString())
                .contains("Replayed 2 examples of run r1 with backprop into " + out)
                .contains("Skipped 2 lines of 2 other runs (r2, r3); choose a run with --run");
    }

    @Test
    void configExperimentUsesJobSeed() throws IOException {
        Path config = write("live.yaml", List.of(
                "name: replayed",
                "task: {kind: live, inputs: 3, outputs: 1}",
                "network: {hidden: 4, init_seed: 11}",
                "learners:",
                "  - {kind: crossprop, step_size: 0.1, eta: 0.5}",
                "  - {kind: adam, step_size: 0.01}"));
        Path examples = write("reg.jsonl", REGRESSION);
        Path out = dir.resolve("out.jsonl");
        int code = replay("--config", config.toString(), "--experiment", "r1/crossprop-eta0.5",
                "--examples", examples.toString(), "--out", out.toString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();

        // The learner that the job's LearnFunction creates for experiment r1/crossprop-eta0.5.
        Learner learner = Learner.create(
                LearnerConfig.builder(LearnerKind.CROSSPROP, 3, 4, 1).eta(0.5).stepSize(0.1).build(),
                ExperimentSeeds.initialWeightsSeed(11, "r1"));
        double[][] x = {{1, 0, 0.5}, {0, 1, 1}, {1, 1, 0}};
        double[] y = {0.3, -1.2, 2.5};
        List<JsonNode> lines = results(out);
        assertThat(lines).hasSize(3);
        for (int t = 0; t < 3; t++) {
            assertThat(lines.get(t).get("error").asDouble()).isEqualTo(learner.step(x[t], new double[] {y[t]}).error());
        }
    }

    /** Writes a small GEOFF file: 2 runs of 3 stages of 10 examples, 8 hidden units. */
    private Path smallGeoff() throws IOException {
        return write("small-geoff.yaml", List.of(
                "name: g",
                "task: {kind: geoff, examples_per_task: 10, features: 30, schedule: 'A,B,A'}",
                "runs: {count: 2, first_seed: 1}",
                "network: {hidden: 8}",
                "learners: [{kind: crossprop, step_size: 0.01, eta: 0.5}]"));
    }

    @Test
    void generatedExamplesMatchTheJobsLearner() throws Exception {
        Path config = smallGeoff();
        Path out = dir.resolve("out.jsonl");
        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-2/crossprop-eta0.5",
                "--out", out.toString())).as("exit code; stderr: %s", err).isZero();

        ExperimentConfig loaded = ExperimentConfigLoader.load(config);
        Learner learner = Learner.create(loaded.learners().get(0).config(),
                ExperimentSeeds.initialWeightsSeed(loaded.initSeed(), "geoff-seed-2"));
        Iterator<Example> examples = ExperimentExamples.run(loaded.task(), 2);
        List<JsonNode> lines = results(out);
        assertThat(lines).hasSize(30);
        for (JsonNode line : lines) {
            Example example = examples.next();
            assertThat(line.get("index").asLong()).isEqualTo(example.index());
            assertThat(line.get("error").asDouble()).isEqualTo(learner.step(example.x(), example.y()).error());
        }
    }

    @Test
    void examplesFileIsCheckedAgainstTheGeneratedOnes() throws Exception {
        Path config = smallGeoff();
        ExperimentConfig loaded = ExperimentConfigLoader.load(config);
        List<String> same = new java.util.ArrayList<>();
        ExperimentExamples.run(loaded.task(), 1).forEachRemaining(e ->
                same.add(new String(ExampleCodec.encode(e, WireFormat.JSON), java.nio.charset.StandardCharsets.UTF_8)));
        Path generatedOut = dir.resolve("generated.jsonl");
        Path fileOut = dir.resolve("file.jsonl");
        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-1/crossprop-eta0.5",
                "--out", generatedOut.toString())).isZero();
        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-1/crossprop-eta0.5",
                "--examples", write("same.jsonl", same).toString(), "--out", fileOut.toString())).isZero();
        assertThat(Files.readAllLines(fileOut)).isEqualTo(Files.readAllLines(generatedOut));

        // The same run generated with another feature count: same shape, other values.
        List<String> other = new java.util.ArrayList<>();
        TaskSpec t = loaded.task();
        TaskSpec otherFeatures = new TaskSpec(t.kind(), t.inputs(), t.outputs(), t.outputKind(), t.schedule(),
                t.examplesPerStage(), 31, t.beta(), t.changeFraction(), t.images(), t.labels(), t.variant());
        ExperimentExamples.run(otherFeatures, 1).forEachRemaining(e ->
                other.add(new String(ExampleCodec.encode(e, WireFormat.JSON), java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-1/crossprop-eta0.5",
                "--examples", write("other.jsonl", other).toString(), "--out", fileOut.toString()))
                .isEqualTo(ReplayCommand.EXIT_BAD_EXAMPLE);
        assertThat(err.toString()).contains("differs from the one that " + config + " generates for it (");
    }

    @Test
    void liveExperimentNeedsAnExamplesFile() throws IOException {
        Path config = write("live.yaml", List.of(
                "name: l",
                "task: {kind: live, inputs: 3, outputs: 1}",
                "learners: [{kind: backprop, step_size: 0.1}]"));
        assertThat(replay("--config", config.toString(), "--experiment", "r1/backprop",
                "--out", dir.resolve("out.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing --examples FILE");
    }

    @Test
    void experimentOptionsAreChecked() throws IOException {
        Path config = write("geoff.yaml", List.of(
                "name: g",
                "task: {kind: geoff, examples_per_task: 10}",
                "runs: {count: 2, first_seed: 1}",
                "learners: [{kind: backprop, step_size: 0.1}]"));
        Path examples = write("reg.jsonl", REGRESSION);
        String out = dir.resolve("out.jsonl").toString();

        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-1/backprop", "--eta", "0.5",
                "--examples", examples.toString(), "--out", out)).isEqualTo(2);
        assertThat(err.toString()).contains("--eta 0.5 conflicts with --config");

        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-1/adam",
                "--examples", examples.toString(), "--out", out)).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid --experiment geoff-seed-1/adam: give RUN/LABEL with one of the learner labels of "
                + config + ": backprop");

        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-9/backprop",
                "--examples", examples.toString(), "--out", out)).isEqualTo(2);
        assertThat(err.toString()).contains("has no run 'geoff-seed-9'; its runs are geoff-seed-1, geoff-seed-2");

        assertThat(replay("--experiment", "geoff-seed-1/backprop", "--examples", examples.toString(), "--out", out))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--experiment needs --config");

        assertThat(replay("--examples", examples.toString(), "--out", out)).isEqualTo(2);
        assertThat(err.toString()).contains("Missing --learner");

        // The file's GEOFF learner has 20 inputs; these examples have 3.
        Path threeInputs = write("seed1.jsonl", REGRESSION.stream().map(l -> l.replace("\"r1\"", "\"geoff-seed-1\"")).toList());
        assertThat(replay("--config", config.toString(), "--experiment", "geoff-seed-1/backprop",
                "--examples", threeInputs.toString(), "--out", out)).isEqualTo(ReplayCommand.EXIT_BAD_EXAMPLE);
        assertThat(err.toString()).contains("has 3 inputs, but " + config + " sets 20");
    }

    @Test
    void runOptionPicksOneRun() throws IOException {
        Path mixed = write("runs.jsonl", List.of(
                REGRESSION.get(0).replace("r1", "r2"),
                REGRESSION.get(0),
                REGRESSION.get(1).replace("r1", "r2"),
                REGRESSION.get(1),
                REGRESSION.get(3)));
        Path single = write("r1.jsonl", REGRESSION);
        Path picked = dir.resolve("picked.jsonl");
        Path expected = dir.resolve("expected.jsonl");
        assertThat(replay("--examples", mixed.toString(), "--run", "r1", "--learner", "backprop",
                "--hidden", "3", "--seed", "4", "--out", picked.toString())).isZero();
        assertThat(replay("--examples", single.toString(), "--learner", "backprop",
                "--hidden", "3", "--seed", "4", "--out", expected.toString())).isZero();
        assertThat(Files.readAllLines(picked)).hasSize(3).isEqualTo(Files.readAllLines(expected));

        assertThat(replay("--examples", mixed.toString(), "--run", "r9", "--learner", "backprop",
                "--hidden", "3", "--out", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("No examples of run 'r9' in " + mixed);
    }

    @Test
    void repeatedOrEarlierIndexStops() throws IOException {
        Path examples = write("order.jsonl", List.of(
                REGRESSION.get(0),
                REGRESSION.get(3),
                REGRESSION.get(1)));
        Path out = dir.resolve("out.jsonl");
        int code = replayBackprop(examples, out);
        assertThat(code).isEqualTo(ReplayCommand.EXIT_BAD_EXAMPLE);
        assertThat(err.toString())
                .contains("Line 3 of " + examples)
                .contains("index 1 of run 'r1' does not follow index 2");
        assertThat(results(out)).hasSize(2);
    }

    @Test
    void exampleOfWrongSizeStopsWithLineNumber() throws IOException {
        Path examples = write("size.jsonl", List.of(
                REGRESSION.get(0),
                "{\"run\": \"r1\", \"index\": 1, \"task\": \"A\", \"x\": [1, 0], \"y\": [1]}"));
        Path out = dir.resolve("out.jsonl");
        int code = replayBackprop(examples, out);
        assertThat(code).isEqualTo(ReplayCommand.EXIT_BAD_EXAMPLE);
        assertThat(err.toString()).contains("Line 2 of").contains("Input has 2 values");
        assertThat(results(out)).hasSize(1);
    }

    @Test
    void dumpedInitialWeightsReproduceSeededRun() throws IOException {
        Path examples = write("reg.jsonl", REGRESSION);
        Path seeded = dir.resolve("seeded.jsonl");
        Path weights = dir.resolve("initial.json");
        assertThat(replay("--examples", examples.toString(), "--learner", "crossprop-approx",
                "--hidden", "6", "--seed", "7", "--dump-initial-weights", weights.toString(),
                "--out", seeded.toString())).isZero();
        Path fromFile = dir.resolve("from-file.jsonl");
        assertThat(replay("--examples", examples.toString(), "--learner", "crossprop-approx",
                "--init-weights", weights.toString(), "--out", fromFile.toString())).isZero();
        assertThat(Files.readAllLines(fromFile)).hasSize(3)
                .isEqualTo(Files.readAllLines(seeded));

        Path otherSeed = dir.resolve("other.jsonl");
        assertThat(replay("--examples", examples.toString(), "--learner", "crossprop-approx",
                "--hidden", "6", "--seed", "8", "--out", otherSeed.toString())).isZero();
        assertThat(Files.readAllLines(otherSeed)).isNotEqualTo(Files.readAllLines(seeded));
    }

    @Test
    void divergenceWritesNullsAndStops() throws IOException {
        Path examples = write("reg.jsonl", REGRESSION);
        Path out = dir.resolve("out.jsonl");
        int code = replay("--examples", examples.toString(), "--learner", "backprop",
                "--activation", "relu", "--step-size", "1e300", "--hidden", "3",
                "--out", out.toString());
        assertThat(code).isZero();
        List<JsonNode> lines = results(out);
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.get("diverged").asBoolean()).isTrue();
        assertThat(Files.readString(out)).doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(err.toString()).contains("diverged at step " + lines.size());
    }

    @Test
    void invalidOptionIsRejected() throws IOException {
        Path examples = write("reg.jsonl", REGRESSION);
        int code = replay("--examples", examples.toString(), "--learner", "crossprop",
                "--eta", "2", "--out", dir.resolve("out.jsonl").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("eta = 2.0").contains("[0, 1]");

        code = replay("--examples", examples.toString(), "--learner", "sgd",
                "--out", dir.resolve("out.jsonl").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown learner 'sgd'");
    }
}
