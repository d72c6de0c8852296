package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsJsonTest {

    @TempDir Path dir;

    @Test
    void roundTripKeepsBits() throws IOException {
        Weights weights =
                InitialWeights.draw(LearnerConfig.builder(LearnerKind.BACKPROP, 3, 4, 2).build(), 5L);
        Path file = dir.resolve("w.json");
        WeightsJson.write(weights, file);
        assertThat(WeightsJson.read(file)).isEqualTo(weights);
    }

    @Test
    void readsDocumentedForm() throws IOException {
        Path file = dir.resolve("w.json");
        Files.writeString(file, "{\"U\": [[1, 2, 3]], \"b\": [0.5, 0, -1], "
                + "\"W\": [[1], [2], [3.25]], \"c\": [4]}");
        Weights w = WeightsJson.read(file);
        assertThat(w.u[0]).containsExactly(1, 2, 3);
        assertThat(w.b).containsExactly(0.5, 0, -1);
        assertThat(w.w[2]).containsExactly(3.25);
        assertThat(w.c).containsExactly(4);
    }

    @Test
    void errorsNameFileAndField() throws IOException {
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, "{\"U\": [[1]], \"b\": [0], \"W\": [[1]]}");
        assertThatThrownBy(() -> WeightsJson.read(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("missing.json")
                .hasMessageContaining("no field \"c\"");

        Path text = dir.resolve("text.json");
        Files.writeString(text, "{\"U\": [[1, \"x\"]], \"b\": [0, 0], \"W\": [[1], [1]], \"c\": [0]}");
        assertThatThrownBy(() -> WeightsJson.read(text))
                .hasMessageContaining("text.json")
                .hasMessageContaining("U[0][1] = \"x\" is not a finite number");

        Path shape = dir.resolve("shape.json");
        Files.writeString(shape, "{\"U\": [[1, 2]], \"b\": [0], \"W\": [[1], [1]], \"c\": [0]}");
        assertThatThrownBy(() -> WeightsJson.read(shape))
                .hasMessageContaining("shape.json")
                .hasMessageContaining("b has 1 values but U is 1 x 2");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"U\": [[1, 2]");
        assertThatThrownBy(() -> WeightsJson.read(broken))
                .hasMessageContaining("broken.json")
                .hasMessageContaining("not valid JSON");
    }
}
