package dev.crossprop.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {

    /** The manifest layout the job writes, with a field the report does not know. */
    private static final String EXAMPLE =
            """
            {
              "name": "geoff-quick",
              "code_version": "0.1.0-SNAPSHOT",
              "task": {"kind": "geoff", "output": "regression"},
              "stages": [{"task": "A", "first_index": 0, "last_index": 4999},
                         {"task": "B", "first_index": 5000, "last_index": 9999}],
              "runs": [{"run": "geoff-seed-1", "seed": 1}],
              "learners": [{"label": "crossprop-eta0", "kind": "crossprop",
                            "params": {"step_size_u": 0.0005, "eta": 0.0}},
                           {"label": "lion", "kind": "lion"}],
              "downsampling": {"mode": "none", "n": 1},
              "configuration": {"seed": 1},
              "future": {"anything": [1, 2]}
            }
            """;

    @TempDir Path temp;

    private Path write(String json) throws IOException {
        return Files.writeString(temp.resolve("manifest.json"), json);
    }

    @Test
    void readsEveryField() throws IOException {
        Manifest manifest = Manifest.read(write(EXAMPLE));

        assertThat(manifest.name()).isEqualTo("geoff-quick");
        assertThat(manifest.codeVersion()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(manifest.taskKind()).isEqualTo("geoff");
        assertThat(manifest.taskOutput()).isEqualTo("regression");
        assertThat(manifest.stages())
                .containsExactly(new Stage(1, "A", 0, 4999), new Stage(2, "B", 5000, 9999));
        assertThat(manifest.runs()).containsExactly(new Manifest.Run("geoff-seed-1", 1L));
        assertThat(manifest.learners()).hasSize(2);
        Manifest.Learner crossprop = manifest.learners().get(0);
        assertThat(crossprop.kind()).isEqualTo(LearnerKind.CROSSPROP);
        assertThat(crossprop.params()).containsEntry("step_size_u", "0.0005");
        assertThat(List.copyOf(crossprop.params().keySet())).containsExactly("step_size_u", "eta");
        Manifest.Learner lion = manifest.learners().get(1);
        assertThat(lion.kind()).isEqualTo(LearnerKind.UNKNOWN);
        assertThat(lion.kindText()).isEqualTo("lion");
        assertThat(manifest.downsamplingMode()).isEqualTo("none");
        assertThat(manifest.downsamplingExamples()).isEqualTo(1);
        assertThat(manifest.configuration().get("seed").intValue()).isEqualTo(1);
    }

    @Test
    void emptyObjectIsAllowed() throws IOException {
        Manifest manifest = Manifest.read(write("{}"));

        assertThat(manifest.name()).isNull();
        assertThat(manifest.stages()).isEmpty();
        assertThat(manifest.learners()).isEmpty();
        assertThat(manifest.downsamplingExamples()).isEqualTo(1);
    }

    @Test
    void rejectsOverlappingStages() throws IOException {
        Path file = write("{\"stages\": [{\"task\": \"A\", \"first_index\": 0, \"last_index\": 9},"
                + " {\"task\": \"B\", \"first_index\": 5, \"last_index\": 19}]}");

        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(InvalidResultsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'stages[1].first_index' is 5");
    }

    @Test
    void rejectsWrongTypes() throws IOException {
        Path file = write("{\"runs\": [{\"run\": 7}]}");

        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(InvalidResultsException.class)
                .hasMessageContaining("'runs[0].run' is 7; expected a string");
    }

    @Test
    void rejectsUnknownOutput() throws IOException {
        Path file = write("{\"task\": {\"output\": \"ranking\"}}");

        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(InvalidResultsException.class)
                .hasMessageContaining("'task.output' is ranking; expected regression or classification");
    }

    @Test
    void rejectsInvalidJson() throws IOException {
        Path file = write("{\"name\": \"x\",\n \"stages\": [}");

        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(InvalidResultsException.class)
                .hasMessageContaining(file + ": invalid JSON at line 2");
    }
}
