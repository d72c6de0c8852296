package dev.crossprop.sources.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the full-size Fashion-MNIST IDX files that Debian's package dataset-fashion-mnist installs,
 * real files written by other people's tools. Skipped when the package is missing, except on CI
 * (environment variable CI set), which installs it.
 */
class FashionMnistIdxTest {

    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static Path file(String name) {
        Path path = DIR.resolve(name);
        if (!Files.isRegularFile(path)) {
            String message =
                    path + " is missing; install it with: apt-get install -y dataset-fashion-mnist";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return path;
    }

    private static void checkSet(LabeledImages data, int expectedCount) {
        int[] counts = new int[10];
        for (int k = 0; k < data.count(); k++) {
            assertThat(data.label(k)).isBetween(0, 9);
            counts[data.label(k)]++;
        }
        assertThat(data.count()).isEqualTo(expectedCount);
        assertThat(data.rows()).isEqualTo(28);
        assertThat(data.columns()).isEqualTo(28);
        // Fashion-MNIST is balanced: every class has a tenth of each set.
        assertThat(counts).containsOnly(expectedCount / 10);
    }

    @Test
    void trainingSetHas60000Images() throws IOException {
        // Sizes from the dataset's README: 60,000 training and 10,000 test images of 28 x 28.
        checkSet(
                IdxReader.read(
                        file("train-images-idx3-ubyte.gz"), file("train-labels-idx1-ubyte.gz")),
                60_000);
    }

    @Test
    void testSetHas10000Images() throws IOException {
        LabeledImages data =
                IdxReader.read(
                        file("t10k-images-idx3-ubyte.gz"), file("t10k-labels-idx1-ubyte.gz"));

        checkSet(data, 10_000);
        assertThat(IdxReader.readLabels(file("t10k-labels-idx1-ubyte.gz"))).hasSize(10_000);
    }

    @Test
    void fashionFilesFeedMnistTasks() throws IOException {
        MnistConfig config =
                MnistConfig.builder()
                        .images(file("t10k-images-idx3-ubyte.gz"))
                        .labels(file("t10k-labels-idx1-ubyte.gz"))
                        .count(100)
                        .build();
        MnistTasks tasks = MnistTasks.load(config);

        assertThat(tasks.exampleCount()).isEqualTo(600);
        assertThat(tasks.iterator().next().x()).hasSize(784);
    }
}
