package dev.crossprop.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.learn.LearnerKind;
import dev.crossprop.learn.OutputKind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

class ExperimentConfigLoaderTest {

    private static final Path CONF = Path.of("..", "conf");

    private static ExperimentConfig parse(String yaml) {
        return ExperimentConfigLoader.parse("test.yaml", new Yaml().load(yaml));
    }

    private static final String MINIMAL = String.join("\n",
            "name: t",
            "task: {kind: geoff, examples_per_task: 10, schedule: 'A,B'}",
            "learners:",
            "  - {kind: backprop, step_size: 0.01}",
            "");

    @ParameterizedTest
    @ValueSource(strings = {"geoff.yaml", "geoff-quick.yaml", "mnist.yaml", "mnist-quick.yaml", "live.yaml"})
    void shippedConfigurationsLoad(String file) {
        ExperimentConfig config = ExperimentConfigLoader.load(CONF.resolve(file));

        assertThat(config.learners()).isNotEmpty();
        // A live task's runs are whatever the producers send, so only generated tasks list seeds.
        assertThat(config.seeds().isEmpty()).isEqualTo(config.task().kind() == TaskKind.LIVE);
    }

    @Test
    void paperGeoffHasThirtyRunsOfEightLearners() {
        ExperimentConfig config = ExperimentConfigLoader.load(CONF.resolve("geoff.yaml"));

        assertThat(config.seeds()).hasSize(30);
        assertThat(config.learners()).extracting(LearnerSpec::label).containsExactly(
                "crossprop-eta0", "crossprop-eta0.5", "crossprop-approx-eta0", "crossprop-approx-eta0.5",
                "backprop", "momentum", "rmsprop", "adam");
        assertThat(config.task().stages()).hasSize(6);
        assertThat(config.task().stages().get(5).lastIndex()).isEqualTo(29_999);
        assertThat(config.learners().get(0).config().hidden()).isEqualTo(500);
        assertThat(config.learners().get(0).config().stepSizeU()).isEqualTo(0.0005);
    }

    @Test
    void paperMnistHasSixLearners() {
        ExperimentConfig config = ExperimentConfigLoader.load(CONF.resolve("mnist.yaml"));

        assertThat(config.learners()).hasSize(6);
        assertThat(config.task().outputKind()).isEqualTo(OutputKind.CLASSIFICATION);
        assertThat(config.task().examplesPerRun()).isEqualTo(300_000);
        assertThat(config.learners().get(0).config().outputs()).isEqualTo(10);
    }

    @Test
    void listOfStepSizesExpandsIntoOneLearnerEach() {
        ExperimentConfig config = parse(String.join("\n",
                "name: sweep",
                "task: {kind: geoff, examples_per_task: 10}",
                "learners:",
                "  - {kind: adam, step_size: [0.001, 0.0001]}",
                "  - {kind: crossprop-approx, step_size: [0.1, 0.2], eta: [0, 1]}",
                ""));

        List<String> labels = config.learners().stream().map(LearnerSpec::label).collect(Collectors.toList());
        assertThat(labels).containsExactly(
                "adam-alpha0.001", "adam-alpha0.0001",
                "crossprop-approx-alpha0.1-eta0", "crossprop-approx-alpha0.1-eta1",
                "crossprop-approx-alpha0.2-eta0", "crossprop-approx-alpha0.2-eta1");
        assertThat(config.learners().get(5).config().kind()).isEqualTo(LearnerKind.CROSSPROP_APPROX);
        assertThat(config.learners().get(5).config().stepSizeU()).isEqualTo(0.2);
        assertThat(config.learners().get(5).config().eta()).isEqualTo(1.0);
    }

    @Test
    void defaultsFillOptionalSections() {
        ExperimentConfig config = parse(MINIMAL);

        assertThat(config.seeds()).containsExactly(1L);
        assertThat(config.runIds()).containsExactly("geoff-seed-1");
        assertThat(config.kafka().topic()).isEqualTo("t-examples");
        assertThat(config.kafka().compression()).isEqualTo("lz4");
        assertThat(config.output().downsample()).isEqualTo("none");
        assertThat(config.totalSteps()).isEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "unknown learner|learners: [{kind: sgd2, step_size: 0.1}]|learners[0].kind: invalid value 'sgd2'; allowed: crossprop, crossprop-approx, backprop, momentum, rmsprop, adam",
        "missing step size|learners: [{kind: adam}]|learners[0].step_size: missing required field",
        "negative step size|learners: [{kind: adam, step_size: -1}]|learners[0].step_size: value -1.0 must be greater than 0",
        "zero step size of W|learners: [{kind: backprop, step_size_u: 0.1, step_size_w: 0}]|learners[0].step_size_w: value 0.0 must be greater than 0",
        "NaN step size|learners: [{kind: adam, step_size: .nan}]|learners[0].step_size: value NaN is not a finite number",
        "infinite eta|learners: [{kind: crossprop, step_size: 0.1, eta: 1e400}]|learners[0].eta: value Infinity is not a finite number",
        "eta above one|learners: [{kind: crossprop, step_size: 0.1, eta: 1.5}]|eta",
        "eta on backprop|learners: [{kind: backprop, step_size: 0.1, eta: 0.5}]|learners[0].eta: does not apply to learner kind backprop",
        "unknown field|learners: [{kind: adam, step_sise: 0.1}]|learners[0].step_sise: unknown field",
        "no learners|learners: []|learners: empty list",
        "text for a number|learners: [{kind: adam, step_size: fast}]|learners[0].step_size: expected a number, found 'fast'",
    })
    void invalidLearnerIsRejected(String name, String learners, String message) {
        String yaml = "name: t\ntask: {kind: geoff, examples_per_task: 10}\n" + learners + "\n";

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("test.yaml: ")
                .hasMessageContaining(message);
    }

    /** Each row: case name, the file's head with '~' for a line break, the expected message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "missing name|task: {kind: geoff}|name: missing required field",
        "missing task|name: t|task: missing required field",
        "unknown task|name: t~task: {kind: cifar}|task.kind: invalid value 'cifar'; allowed: geoff, mnist, live",
        "beta out of range|name: t~task: {kind: geoff, beta: 2}|task.beta: value 2 is out of range; allowed: 0.0 to 1.0",
        "live without inputs|name: t~task: {kind: live}|task.inputs: missing required field",
        "zero runs|name: t~task: {kind: geoff}~runs: {count: 0}|runs.count: value 0 is out of range",
        "bad format|name: t~task: {kind: geoff}~kafka: {format: avro}|kafka.format: invalid value 'avro'; allowed: json, binary",
        "bad name|name: a/b~task: {kind: geoff}|name: invalid value 'a/b'",
        "bad compression|name: t~task: {kind: geoff}~kafka: {compression: brotli}|kafka.compression: invalid value 'brotli'; allowed: none, gzip, snappy, lz4, zstd",
        "unknown network field|name: t~task: {kind: geoff}~network: {hidden: 3, lable: x}|network.lable: unknown field; allowed fields here: activation, hidden, init",
        "parallelism above key groups|name: t~task: {kind: geoff}~parallelism: 200|parallelism: value 200 is out of range; allowed: 1 to 128",
    })
    void invalidFieldIsRejected(String name, String head, String message) {
        String yaml = head.replace("~", "\n") + "\nlearners: [{kind: adam, step_size: 0.1}]\n";

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ExperimentConfigLoader.load(Path.of("no-such-dir", "x.yaml")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("x.yaml: configuration file not found");
    }

    @Test
    void invalidYamlIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "name: [unclosed\n");

        assertThatThrownBy(() -> ExperimentConfigLoader.load(file))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broken.yaml: invalid YAML");
    }

    @Test
    void repeatedFieldIsRejected(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("twice.yaml");
        Files.writeString(file, String.join("\n",
                "name: t",
                "task: {kind: geoff}",
                "learners:",
                "  - {kind: adam, step_size: 0.1}",
                "learners:",
                "  - {kind: backprop, step_size: 0.1}",
                ""));

        assertThatThrownBy(() -> ExperimentConfigLoader.load(file))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("twice.yaml: line 5: field 'learners' appears twice in one section");
    }

    @Test
    void folderIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> ExperimentConfigLoader.load(dir))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(": is a folder; give the path of a YAML file");
    }

    @Test
    void duplicateLabelsAreRejected() {
        String yaml = "name: t\ntask: {kind: geoff}\nlearners:\n  - {kind: adam, step_size: 0.1}\n  - {kind: adam, step_size: 0.2}\n";

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("two learners have the label 'adam'");
    }
}
