package dev.crossprop.sources.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.RepositoryFiles;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class MnistTasksTest {

    private static LabeledImages sample;

    @BeforeAll
    static void readSample() throws IOException {
        sample =
                IdxReader.read(
                        RepositoryFiles.root().resolve(MnistConfig.DEFAULT_IMAGES),
                        RepositoryFiles.root().resolve(MnistConfig.DEFAULT_LABELS));
    }

    private static List<Example> all(MnistTasks tasks) {
        List<Example> examples = new ArrayList<>();
        tasks.iterator().forEachRemaining(examples::add);
        return examples;
    }

    @Test
    void shiftTasksShiftLabelsAndKeepImages() {
        MnistTasks tasks = new MnistTasks(MnistConfig.builder().count(50).seed(4).build(), sample);
        List<Example> examples = all(tasks);

        assertThat(examples).hasSize(300);
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            int stage = i / 50;
            int k = i % 50;
            // Default shifts: A = 0, B = 1, C = 2, by first appearance in A,B,C,A,B,C.
            int shift = stage % 3;
            assertThat(e.run()).isEqualTo("mnist-seed-4");
            assertThat(e.index()).isEqualTo(i);
            assertThat(e.task()).isEqualTo(List.of("A", "B", "C").get(stage % 3));
            assertThat(e.label()).isEqualTo((sample.label(k) + shift) % 10);
            assertThat(e.x()).hasSize(784);
            for (int p = 0; p < 784; p++) {
                assertThat(e.x()[p]).isEqualTo(sample.pixel(k, p) / 255.0);
            }
        }
    }

    @Test
    void pixelsAreScaledToUnitInterval() {
        MnistTasks tasks = new MnistTasks(MnistConfig.builder().count(200).build(), sample);
        double max = 0;
        for (Example e : tasks) {
            for (double value : e.x()) {
                assertThat(value).isBetween(0.0, 1.0);
                max = Math.max(max, value);
            }
        }
        assertThat(max).isEqualTo(1.0);
    }

    @Test
    void configuredShiftsApply() {
        MnistConfig config =
                MnistConfig.builder()
                        .count(10)
                        .schedule("X,Y")
                        .shifts(MnistConfig.parseShifts("X=3, Y=9"))
                        .build();
        List<Example> examples = all(new MnistTasks(config, sample));

        // The sample starts with labels 0, 1, ..., 9 (see data/mnist-sample/README.md).
        assertThat(examples.get(0).label()).isEqualTo(3);
        assertThat(examples.get(10).label()).isEqualTo(9);
        assertThat(examples.get(11).label()).isEqualTo(0);
    }

    @Test
    void permuteTasksReorderPixelsAndKeepLabels() {
        MnistConfig config =
                MnistConfig.builder().count(20).taskKind(MnistTaskKind.PERMUTE).seed(9).build();
        MnistTasks tasks = new MnistTasks(config, sample);
        List<Example> examples = all(tasks);
        int[] permutationB = tasks.permutation("B");

        assertThat(tasks.permutation("A")).isNull();
        assertThat(permutationB).isNotEqualTo(tasks.permutation("C"));
        for (int k = 0; k < 20; k++) {
            Example a = examples.get(k);
            Example b = examples.get(20 + k);
            assertThat(a.label()).isEqualTo(sample.label(k));
            assertThat(b.label()).isEqualTo(sample.label(k));
            assertThat(a.x()).isEqualTo(sample.scaledImage(k));
            for (int p = 0; p < 784; p++) {
                assertThat(b.x()[p]).isEqualTo(a.x()[permutationB[p]]);
            }
            // The replayed stage B (stage 4) equals stage B.
            assertThat(examples.get(80 + k).x()).isEqualTo(b.x());
        }
    }

    @Test
    void permutationDependsOnSeed() {
        MnistConfig config = MnistConfig.builder().count(1).taskKind(MnistTaskKind.PERMUTE).build();

        int[] seed0 = new MnistTasks(config, sample).permutation("B");
        int[] seed0Again = new MnistTasks(config, sample).permutation("B");
        int[] seed1 = new MnistTasks(config.withSeed(1), sample).permutation("B");

        assertThat(seed0Again).isEqualTo(seed0);
        assertThat(seed1).isNotEqualTo(seed0);
    }

    @Test
    void examplesPassTheValidator() throws Exception {
        MnistTasks tasks = new MnistTasks(MnistConfig.builder().count(100).build(), sample);
        for (Example e : tasks) {
            tasks.validator().validate(e);
        }
    }

    @Test
    void defaultUsesAllImages() {
        MnistTasks tasks = new MnistTasks(MnistConfig.builder().build(), sample);

        assertThat(tasks.imagesPerTask()).isEqualTo(10_000);
        assertThat(tasks.exampleCount()).isEqualTo(60_000);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(
                        () -> new MnistTasks(MnistConfig.builder().count(10_001).build(), sample))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10001")
                .hasMessageContaining("only 10000");
        assertThatThrownBy(() -> MnistConfig.builder().count(-1).build())
                .hasMessageContaining("count is -1");
        assertThatThrownBy(() -> MnistConfig.builder().shifts(Map.of("A", 0)).build())
                .hasMessageContaining("no shift for task 'B'");
        assertThatThrownBy(
                        () -> MnistConfig.builder().schedule("A").shifts(Map.of("A", 10)).build())
                .hasMessageContaining("shift of task 'A' is 10");
        assertThatThrownBy(
                        () ->
                                MnistConfig.builder()
                                        .schedule("A")
                                        .shifts(Map.of("A", 1, "Z", 2))
                                        .build())
                .hasMessageContaining("'Z'");
        assertThatThrownBy(() -> MnistConfig.parseShifts("A:1"))
                .hasMessageContaining("'A:1' is not TASK=SHIFT");
        assertThatThrownBy(() -> MnistTaskKind.fromId("rotate")).hasMessageContaining("'rotate'");
        assertThatThrownBy(() -> MnistConfig.builder().schedule(" ").build())
                .hasMessageContaining("MNIST schedule is empty");
    }

    @Test
    void labelAboveNineIsRejected(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path images = IdxFiles.write(dir, "i", IdxFiles.images(1, 1, 1, new byte[] {5}));
        Path labels = IdxFiles.write(dir, "l", IdxFiles.labels(new byte[] {12}));
        MnistConfig config = MnistConfig.builder().images(images).labels(labels).build();

        assertThatThrownBy(() -> MnistTasks.load(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is 12");
    }
}
