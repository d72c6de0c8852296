package dev.crossprop.job.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.crossprop.job.CrosspropJob;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.types.ExperimentKey;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Placement of experiments on key groups, checked with Flink's own key group assignment. */
class ExperimentPlacementTest {

    private static final int KEY_GROUPS = CrosspropJob.MAX_PARALLELISM;

    private static final ExperimentConfig GEOFF = ExperimentConfigLoader.load(Path.of("../conf/geoff.yaml"));

    private static ExperimentPlacement placementOf(ExperimentConfig config) {
        return new ExperimentPlacement(config.runIds(), config.learners(), KEY_GROUPS);
    }

    private static int subtaskOf(ExperimentKey key, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, KEY_GROUPS, parallelism);
    }

    /** Experiments per subtask and learner: counts[subtask][learner]. */
    private static int[][] countsPerSubtask(ExperimentConfig config, ExperimentPlacement placement, int parallelism) {
        int[][] counts = new int[parallelism][config.learners().size()];
        for (String run : config.runIds()) {
            for (int l = 0; l < config.learners().size(); l++) {
                counts[subtaskOf(placement.key(run, l), parallelism)][l]++;
            }
        }
        return counts;
    }

    @Test
    void firstPositionsVisitEveryKeyGroupOnce() {
        Set<Integer> groups = new HashSet<>();
        for (int position = 0; position < KEY_GROUPS; position++) {
            groups.add(ExperimentPlacement.keyGroupAt(position, KEY_GROUPS));
        }
        assertThat(groups).hasSize(KEY_GROUPS);
        assertThat(ExperimentPlacement.keyGroupAt(0, KEY_GROUPS)).isZero();
        assertThat(ExperimentPlacement.keyGroupAt(1, KEY_GROUPS)).isEqualTo(KEY_GROUPS / 2);
        assertThat(ExperimentPlacement.keyGroupAt(KEY_GROUPS, KEY_GROUPS)).isZero();
        // Not a power of two: still inside the range.
        for (int position = 0; position < 1000; position++) {
            assertThat(ExperimentPlacement.keyGroupAt(position, 100)).isBetween(0, 99);
        }
    }

    @Test
    void keysLandInTheirChosenKeyGroup() {
        ExperimentPlacement placement = placementOf(GEOFF);
        List<String> runs = GEOFF.runIds();
        for (int r = 0; r < runs.size(); r++) {
            for (int l = 0; l < GEOFF.learners().size(); l++) {
                ExperimentKey key = placement.key(runs.get(r), l);
                assertThat(key.id()).isEqualTo(GEOFF.learners().get(l).experimentId(runs.get(r)));
                assertThat(KeyGroupRangeAssignment.assignToKeyGroup(key, KEY_GROUPS))
                        .isEqualTo(ExperimentPlacement.keyGroupAt(r * 9 + l, KEY_GROUPS));
            }
        }
    }

    @Test
    void learnersSplitEvenlyAtTwo() {
        int[][] counts = countsPerSubtask(GEOFF, placementOf(GEOFF), 2);

        int runs = GEOFF.runIds().size();
        for (int l = 0; l < GEOFF.learners().size(); l++) {
            assertThat(counts[0][l]).as("learner %d on subtask 0", l).isEqualTo(runs / 2);
            assertThat(counts[1][l]).as("learner %d on subtask 1", l).isEqualTo(runs / 2);
        }
    }

    @Test
    void learnersSplitEvenlyAtFourAndEight() {
        ExperimentPlacement placement = placementOf(GEOFF);
        int runs = GEOFF.runIds().size();

        for (int parallelism : new int[] {4, 8}) {
            int[][] counts = countsPerSubtask(GEOFF, placement, parallelism);
            for (int subtask = 0; subtask < parallelism; subtask++) {
                for (int l = 0; l < counts[subtask].length; l++) {
                    // 30 runs over 4 subtasks: 7 or 8 each; over 8 subtasks: 3 or 4.
                    assertThat(counts[subtask][l])
                            .as("learner %d on subtask %d of %d", l, subtask, parallelism)
                            .isBetween(runs / parallelism, runs / parallelism + 1);
                }
            }
        }
    }

    @Test
    void experimentsSpreadEvenlyUpToEight() {
        ExperimentPlacement placement = placementOf(GEOFF);
        int experiments = GEOFF.runIds().size() * GEOFF.learners().size();

        for (int parallelism = 1; parallelism <= 8; parallelism++) {
            int[][] counts = countsPerSubtask(GEOFF, placement, parallelism);
            for (int subtask = 0; subtask < parallelism; subtask++) {
                int total = java.util.Arrays.stream(counts[subtask]).sum();
                // Hashing the ids put 135 of 240 on one of two subtasks, and 36 on one of eight.
                assertThat((double) total)
                        .as("experiments on subtask %d of %d", subtask, parallelism)
                        .isCloseTo((double) experiments / parallelism, offset(3.0));
            }
        }
    }

    @Test
    void unnamedRunsKeepIdHash() {
        ExperimentPlacement placement = placementOf(GEOFF);

        ExperimentKey key = placement.key("sensor-17", 3);

        String id = GEOFF.learners().get(3).experimentId("sensor-17");
        assertThat(key).isEqualTo(new ExperimentKey(id, id.hashCode()));
        assertThat(key.hashCode()).isEqualTo(id.hashCode());
    }

    @Test
    void keysOfOneKeyGroupStayDistinct() {
        ExperimentPlacement placement = placementOf(GEOFF);
        // 8 learners make a stride of 9, so positions 0 and 128 share key group 0: run 0 with
        // learner 0, and run 14 with learner 2.
        ExperimentKey first = placement.key(GEOFF.runIds().get(0), 0);
        ExperimentKey second = placement.key(GEOFF.runIds().get(14), 2);

        assertThat(first.hashCode()).isEqualTo(second.hashCode());
        assertThat(first).isNotEqualTo(second);
        assertThat(new HashSet<>(List.of(first, second))).hasSize(2);
    }

    @Test
    void rejectsMaxParallelismBelowOne() {
        assertThatThrownBy(() -> new ExperimentPlacement(List.of("r"), GEOFF.learners(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
