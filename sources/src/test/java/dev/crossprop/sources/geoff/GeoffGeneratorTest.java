package dev.crossprop.sources.geoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.crossprop.sources.Example;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

class GeoffGeneratorTest {

    /**
     * The crossprop paper's GEOFF network (m = 20, n = 1000, beta = 0.6), 200 examples per task.
     */
    private static final GeoffConfig SMALL =
            GeoffConfig.builder().examplesPerTask(200).seed(11).build();

    private static List<Example> all(GeoffGenerator generator) {
        List<Example> examples = new ArrayList<>();
        generator.iterator().forEachRemaining(examples::add);
        return examples;
    }

    /** Computes the target network's output from its definition, independently of the class. */
    private static double definitionOutput(
            GeoffTargetNetwork network, double beta, double[] x, int[] w) {
        int m = network.inputs();
        int n = network.features();
        long total = w[n];
        for (int j = 0; j < n; j++) {
            int sum = network.inputWeight(m, j);
            int negatives = network.inputWeight(m, j) < 0 ? 1 : 0;
            for (int i = 0; i < m; i++) {
                sum += (int) x[i] * network.inputWeight(i, j);
                negatives += network.inputWeight(i, j) < 0 ? 1 : 0;
            }
            if (sum > (m + 1) * beta - negatives) {
                total += w[j];
            }
        }
        return total;
    }

    @Test
    void thresholdsComeFromNegativeCounts() {
        GeoffGenerator generator = new GeoffGenerator(SMALL);
        GeoffTargetNetwork network = generator.network();

        for (int j = 0; j < network.features(); j++) {
            int negatives = 0;
            for (int i = 0; i <= network.inputs(); i++) {
                int u = network.inputWeight(i, j);
                assertThat(u).isIn(-1, 1);
                negatives += u < 0 ? 1 : 0;
            }
            assertThat(network.negativeCount(j)).isEqualTo(negatives);
            assertThat(network.threshold(j)).isEqualTo(21 * 0.6 - negatives);
        }
    }

    @Test
    void targetsAreNetworkOutputPlusRecordedNoise() {
        checkTargets(SMALL);
    }

    @Test
    void targetsAreRightWithMoreThan63Inputs() {
        // Above 63 inputs the network sums rows instead of counting bits of a 64-bit mask.
        checkTargets(
                GeoffConfig.builder()
                        .inputs(70)
                        .features(40)
                        .beta(0.55)
                        .examplesPerTask(30)
                        .build());
    }

    /**
     * Checks every stage against one U*, the generator's only network, so this also shows that U*
     * stays the same across tasks while W* changes.
     */
    private static void checkTargets(GeoffConfig config) {
        GeoffGenerator generator = new GeoffGenerator(config);
        int perTask = config.examplesPerTask();
        List<Example> examples = all(generator);

        for (int stage = 0; stage < config.schedule().size(); stage++) {
            String task = config.schedule().get(stage);
            int[] w = generator.outputWeights(task);
            double[] noise = generator.noise(task);
            for (int k = 0; k < perTask; k++) {
                Example e = examples.get(stage * perTask + k);
                double expected =
                        definitionOutput(generator.network(), config.beta(), e.x(), w) + noise[k];
                assertThat(e.task()).isEqualTo(task);
                assertThat(e.y()).hasSize(1);
                assertThat(e.y()[0]).as("stage %d example %d", stage, k).isEqualTo(expected);
            }
        }
    }

    @Test
    void inputsAreBinaryAndIndexesConsecutive() {
        GeoffGenerator generator = new GeoffGenerator(SMALL);
        List<Example> examples = all(generator);
        int ones = 0;

        assertThat(examples).hasSize(6 * 200);
        for (int k = 0; k < examples.size(); k++) {
            Example e = examples.get(k);
            assertThat(e.index()).isEqualTo(k);
            assertThat(e.run()).isEqualTo("geoff-seed-11");
            assertThat(e.x()).hasSize(20);
            for (double value : e.x()) {
                assertThat(value).isIn(0.0, 1.0);
                ones += (int) value;
            }
        }
        // 24,000 fair bits: the share of ones is 0.5 within 5 standard errors,
        // 5 * sqrt(0.25 / 24000) = 0.016.
        assertThat(ones / 24000.0).isCloseTo(0.5, within(0.016));
    }

    @Test
    void noiseIsStandardNormal() {
        GeoffGenerator generator = new GeoffGenerator(GeoffConfig.defaults(3));
        double sum = 0;
        double sumSquares = 0;
        int count = 0;
        for (String task : generator.tasks()) {
            for (double z : generator.noise(task)) {
                sum += z;
                sumSquares += z * z;
                count++;
            }
        }
        // 15,000 draws: mean within 5 / sqrt(n) = 0.041, variance within 5 * sqrt(2 / n) = 0.058.
        assertThat(count).isEqualTo(15_000);
        assertThat(sum / count).isCloseTo(0, within(0.041));
        assertThat(sumSquares / count).isCloseTo(1, within(0.058));
    }

    @Test
    void outputWeightsAreTernaryWithBias() {
        GeoffGenerator generator = new GeoffGenerator(SMALL);
        int[] counts = new int[3];

        assertThat(generator.tasks()).containsExactly("A", "B", "C");
        for (String task : generator.tasks()) {
            int[] w = generator.outputWeights(task);
            assertThat(w).hasSize(1001);
            for (int value : w) {
                assertThat(value).isBetween(-1, 1);
                counts[value + 1]++;
            }
        }
        // 3003 uniform draws over three values: each count is 1001 within 5 standard errors,
        // 5 * sqrt(3003 * 1/3 * 2/3) = 129.
        for (int count : counts) {
            assertThat(count).isBetween(1001 - 129, 1001 + 129);
        }
    }

    @Test
    void taskSwitchChangeShare() {
        // Each switch redraws c = floor(0.5 * 1001) = 500 positions, and a redrawn value
        // differs from the old one with probability 2/3. Over 30 seeds x 2 switches the
        // expected changed share is 500 / 1001 * 2/3 = 0.33300 of all positions; the count
        // of changes has standard deviation sqrt(60 * 500 * 2/9) = 81.6, or 0.00136 as a share
        // of the 60,060 positions, and the tolerance is 5 of those.
        int changed = 0;
        int positions = 0;
        for (long seed = 0; seed < 30; seed++) {
            GeoffGenerator generator = new GeoffGenerator(GeoffConfig.defaults(seed));
            List<String> tasks = generator.tasks();
            for (int t = 1; t < tasks.size(); t++) {
                int[] before = generator.outputWeights(tasks.get(t - 1));
                int[] after = generator.outputWeights(tasks.get(t));
                int changedHere = 0;
                for (int j = 0; j < before.length; j++) {
                    changedHere += before[j] != after[j] ? 1 : 0;
                }
                assertThat(changedHere).as("seed %d switch %d", seed, t).isBetween(1, 500);
                changed += changedHere;
                positions += before.length;
            }
        }

        assertThat((double) changed / positions).isCloseTo(500.0 / 1001 * 2 / 3, within(0.0068));
    }

    @Test
    void changeFractionZeroKeepsWeights() {
        GeoffGenerator generator =
                new GeoffGenerator(
                        GeoffConfig.builder().changeFraction(0).examplesPerTask(1).build());

        assertThat(generator.outputWeights("B")).isEqualTo(generator.outputWeights("A"));
        assertThat(generator.outputWeights("C")).isEqualTo(generator.outputWeights("A"));
    }

    @Test
    void replayedStagesAreIdentical() {
        List<Example> examples = all(new GeoffGenerator(SMALL));
        int perTask = SMALL.examplesPerTask();

        for (int stage = 0; stage < 3; stage++) {
            for (int k = 0; k < perTask; k++) {
                Example first = examples.get(stage * perTask + k);
                Example replay = examples.get((stage + 3) * perTask + k);
                assertThat(replay.task()).isEqualTo(first.task());
                assertThat(replay.x()).isEqualTo(first.x());
                assertThat(replay.y()).isEqualTo(first.y());
            }
        }
        // Different tasks see different inputs.
        assertThat(examples.get(perTask).x()).isNotEqualTo(examples.get(0).x());
    }

    @Test
    void sameSeedGivesSameBits() {
        Iterator<Example> first = new GeoffGenerator(SMALL).iterator();
        Iterator<Example> second = new GeoffGenerator(SMALL).iterator();

        while (first.hasNext()) {
            assertThat(second.next()).isEqualTo(first.next());
        }
        assertThat(second.hasNext()).isFalse();
    }

    @Test
    void differentSeedsGiveDifferentNetworks() {
        GeoffTargetNetwork a = new GeoffGenerator(SMALL).network();
        GeoffTargetNetwork b = new GeoffGenerator(SMALL.withSeed(12)).network();
        int differ = 0;
        for (int i = 0; i <= a.inputs(); i++) {
            for (int j = 0; j < a.features(); j++) {
                differ += a.inputWeight(i, j) != b.inputWeight(i, j) ? 1 : 0;
            }
        }
        // Independent networks differ in half of the 21,000 entries, within 5 standard errors
        // (5 * sqrt(21000 / 4) = 362).
        assertThat(differ).isBetween(10_500 - 362, 10_500 + 362);
    }

    @Test
    void taskExamplesMatchTheStream() {
        GeoffGenerator generator = new GeoffGenerator(SMALL);
        List<Example> stream = all(generator);
        List<Example> taskB = generator.taskExamples("B");

        for (int k = 0; k < taskB.size(); k++) {
            assertThat(taskB.get(k).x()).isEqualTo(stream.get(200 + k).x());
            assertThat(taskB.get(k).y()).isEqualTo(stream.get(200 + k).y());
        }
    }

    @Test
    void examplesPassTheValidator() throws Exception {
        GeoffGenerator generator = new GeoffGenerator(SMALL);
        for (Example e : generator) {
            generator.validator().validate(e);
        }
    }

    @Test
    void configRejectsInvalidSettings() {
        assertThatThrownBy(() -> GeoffConfig.builder().inputs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs is 0")
                .hasMessageContaining("--inputs");
        assertThatThrownBy(() -> GeoffConfig.builder().beta(1.5).build())
                .hasMessageContaining("beta is 1.5");
        assertThatThrownBy(() -> GeoffConfig.builder().changeFraction(Double.NaN).build())
                .hasMessageContaining("change fraction is NaN");
        assertThatThrownBy(() -> GeoffConfig.builder().examplesPerTask(0).build())
                .hasMessageContaining("examples per task is 0");
        assertThatThrownBy(() -> GeoffConfig.builder().schedule("").build())
                .hasMessageContaining("schedule is empty");
        assertThatThrownBy(() -> GeoffConfig.builder().schedule("A,,B").build())
                .hasMessageContaining("task name ''");
        assertThatThrownBy(() -> GeoffConfig.builder().features(1_000_000).inputs(10_000).build())
                .hasMessageContaining("input weights");
    }

    @Test
    void configDefaultsFollowThePaper() {
        GeoffConfig config = GeoffConfig.defaults(5);

        assertThat(config.inputs()).isEqualTo(20);
        assertThat(config.features()).isEqualTo(1000);
        assertThat(config.beta()).isEqualTo(0.6);
        assertThat(config.changeFraction()).isEqualTo(0.5);
        assertThat(config.examplesPerTask()).isEqualTo(5000);
        assertThat(config.schedule()).containsExactly("A", "B", "C", "A", "B", "C");
        assertThat(config.totalExamples()).isEqualTo(30_000);
        assertThat(GeoffConfig.builder().schedule(" A , B ").build().schedule())
                .containsExactly("A", "B");
    }

    @Test
    void unknownTaskIsRejected() {
        assertThatThrownBy(() -> new GeoffGenerator(SMALL).outputWeights("D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'D'");
    }
}
