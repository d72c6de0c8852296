package dev.crossprop.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageLayoutTest {

    private static List<Stage> stages(long length, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new Stage(i + 1, "ABC".substring(i % 3, i % 3 + 1), i * length,
                        (i + 1) * length - 1))
                .toList();
    }

    @Test
    void defaultBinIsStageOverFifty() {
        // GEOFF: 5000 examples per stage / 50 = 100.
        assertThat(StageLayout.defaultBinSize(stages(5000, 6))).isEqualTo(100);
        // 10 / 50 = 0.2 rounds to 0, raised to the minimum of 1.
        assertThat(StageLayout.defaultBinSize(stages(10, 3))).isEqualTo(1);
        // 74 / 50 = 1.48 rounds to 1; 75 / 50 = 1.5 rounds to 2.
        assertThat(StageLayout.defaultBinSize(stages(74, 2))).isEqualTo(1);
        assertThat(StageLayout.defaultBinSize(stages(75, 2))).isEqualTo(2);
    }

    @Test
    void defaultBinUsesShortestStage() {
        List<Stage> stages =
                List.of(new Stage(1, "A", 0, 4999), new Stage(2, "B", 5000, 5999));

        // The 1000-example stage sets it: 1000 / 50 = 20.
        assertThat(StageLayout.defaultBinSize(stages)).isEqualTo(20);
    }

    @Test
    void stageOfFindsStageOrGap() {
        StageLayout layout =
                new StageLayout(List.of(new Stage(1, "A", 0, 9), new Stage(2, "B", 20, 29)), 5);

        assertThat(layout.stageOf(0)).isZero();
        assertThat(layout.stageOf(9)).isZero();
        assertThat(layout.stageOf(15)).isEqualTo(-1);
        assertThat(layout.stageOf(20)).isEqualTo(1);
        assertThat(layout.stageOf(30)).isEqualTo(-1);
    }

    @Test
    void binsStartAtOrigin() {
        StageLayout layout = new StageLayout(List.of(new Stage(1, "A", 100, 111)), 5);

        // Indexes 100-111 in bins of 5: 100-104, 105-109, 110-111.
        assertThat(layout.binCount()).isEqualTo(3);
        assertThat(layout.binOf(104)).isZero();
        assertThat(layout.binOf(105)).isEqualTo(1);
        assertThat(layout.binCenter(0)).isEqualTo(102.0);
        // The last bin is cut at the end of the stage: centre of 110 and 111.
        assertThat(layout.binCenter(2)).isEqualTo(110.5);
    }

    @Test
    void tailIsLastTenPercent() {
        // ceil(10 / 10) = 1, ceil(5000 / 10) = 500, ceil(15 / 10) = 2, and at least 1.
        assertThat(new Stage(1, "A", 0, 9).tailFirstIndex()).isEqualTo(9);
        assertThat(new Stage(1, "A", 5000, 9999).tailFirstIndex()).isEqualTo(9500);
        assertThat(new Stage(1, "A", 0, 14).tailFirstIndex()).isEqualTo(13);
        assertThat(new Stage(1, "A", 7, 7).tailFirstIndex()).isEqualTo(7);
    }

    @Test
    void rejectsOverlapAndBadBin() {
        List<Stage> overlapping = List.of(new Stage(1, "A", 0, 9), new Stage(2, "B", 9, 19));

        assertThatThrownBy(() -> new StageLayout(overlapping, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage 2 starts at index 9");
        assertThatThrownBy(() -> new StageLayout(List.of(new Stage(1, "A", 0, 9)), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bin size is 0");
    }
}
