package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class LearnerStateCodecTest {

    private static final int FIRST = 40;
    private static final int SECOND = 60;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "crossprop, regression, 1",
        "crossprop, classification, 3",
        "crossprop-approx, regression, 2",
        "crossprop-approx, classification, 3",
        "backprop, regression, 1",
        "backprop, classification, 3",
        "momentum, regression, 2",
        "momentum, classification, 3",
        "rmsprop, regression, 1",
        "rmsprop, classification, 3",
        "adam, regression, 2",
        "adam, classification, 3",
    })
    void readStateContinuesBitIdentically(String kind, String output, int k) throws IOException {
        LearnerKind learnerKind = LearnerKind.fromId(kind);
        LearnerConfig.Builder builder =
                LearnerConfig.builder(learnerKind, 5, 7, k)
                        .outputKind(OutputKind.fromId(output))
                        .stepSizeU(0.03)
                        .stepSizeW(0.02);
        if (learnerKind.usesEta()) {
            builder.eta(0.25);
        }
        LearnerConfig config = builder.build();
        Learner original = Learner.create(config, 9L);
        Examples examples = Examples.random(FIRST + SECOND, 5, k, 4L);
        for (int t = 0; t < FIRST; t++) {
            examples.step(original, t);
        }

        Learner restored = roundTrip(original);
        Learner copied = original.copy();
        assertThat(restored.config()).isEqualTo(config);
        assertThat(restored.stepCount()).isEqualTo(FIRST);
        assertThat(restored.weights()).isEqualTo(original.weights());
        assertThat(restored.initialWeights()).isEqualTo(original.initialWeights());

        for (int t = FIRST; t < FIRST + SECOND; t++) {
            StepResult expected = examples.step(original, t);
            long step = expected.step();
            double error = expected.error();
            double uSquared = expected.uChangeSquared();
            double wSquared = expected.wChangeSquared();
            for (Learner other : new Learner[] {restored, copied}) {
                StepResult actual = examples.step(other, t);
                assertThat(actual.step()).isEqualTo(step);
                assertThat(actual.error()).as("error at step %d", step).isEqualTo(error);
                assertThat(actual.uChangeSquared()).as("U change at step %d", step)
                        .isEqualTo(uSquared);
                assertThat(actual.wChangeSquared()).as("W change at step %d", step)
                        .isEqualTo(wSquared);
            }
        }
        assertThat(restored.weights()).isEqualTo(original.weights());
        assertThat(copied.weights()).isEqualTo(original.weights());
        // Writing again gives the same bytes, so no part of the state was left out or reordered.
        assertThat(bytes(restored)).isEqualTo(bytes(original));
    }

    @ParameterizedTest
    @EnumSource(LearnerKind.class)
    void copyIsIndependentOfOriginal(LearnerKind kind) {
        LearnerConfig config = LearnerConfig.builder(kind, 3, 4, 1).stepSize(0.05).build();
        Learner original = Learner.create(config, 2L);
        Learner copy = original.copy();
        Weights before = copy.weights();
        original.step(new double[] {1, 0.5, -1}, new double[] {2});
        assertThat(copy.weights()).isEqualTo(before);
        assertThat(copy.stepCount()).isZero();
        assertThat(original.weights()).isNotEqualTo(before);
    }

    @Test
    void unknownVersionIsRejected() throws IOException {
        Learner learner =
                Learner.create(LearnerConfig.builder(LearnerKind.BACKPROP, 2, 2, 1).build(), 1L);
        byte[] data = bytes(learner);
        data[3] = 7; // the version is the first int, big-endian
        assertThatThrownBy(() -> read(data))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 7")
                .hasMessageContaining("versions 1 and " + LearnerStateCodec.VERSION);
    }

    /**
     * Version 1 had no running sum of (U - U0)^2: reading it recomputes the sum from the weights,
     * which agrees with the running sum to rounding, and the learner continues from there.
     */
    @Test
    void versionOneStateRecomputesChangeSum() throws IOException {
        LearnerConfig config =
                LearnerConfig.builder(LearnerKind.CROSSPROP_APPROX, 6, 8, 1).stepSize(0.05).build();
        Learner learner = Learner.create(config, 4L);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5L);
        for (int t = 0; t < 50; t++) {
            double[] x = new double[6];
            for (int i = 0; i < 6; i++) {
                x[i] = random.nextInt(2);
            }
            learner.step(x, new double[] {random.nextDouble() - 0.5});
        }
        byte[] data = bytes(learner);
        int at = indexOf(data, learner.uChangeSquared);
        assertThat(at).as("position of the running sum").isPositive();
        byte[] versionOne = new byte[data.length - 8];
        System.arraycopy(data, 0, versionOne, 0, at);
        System.arraycopy(data, at + 8, versionOne, at, data.length - at - 8);
        versionOne[3] = 1;

        Learner restored = read(versionOne);

        assertThat(restored.weights()).isEqualTo(learner.weights());
        assertThat(restored.stepCount()).isEqualTo(50);
        assertThat(restored.uChangeSquared)
                .isCloseTo(learner.uChangeSquared, org.assertj.core.api.Assertions.within(
                        1e-12 * learner.uChangeSquared));
        double[] x = {1, 0, 1, 1, 0, 1};
        double expected = learner.step(x, new double[] {0.3}).error();
        assertThat(restored.step(x, new double[] {0.3}).error()).isEqualTo(expected);
    }

    private static int indexOf(byte[] data, double value) {
        long bits = Double.doubleToRawLongBits(value);
        for (int at = 4; at + 8 <= data.length; at++) {
            long read = 0;
            for (int b = 0; b < 8; b++) {
                read = (read << 8) | (data[at + b] & 0xFF);
            }
            if (read == bits) {
                return at;
            }
        }
        return -1;
    }

    @Test
    void truncatedStateIsRejected() throws IOException {
        Learner learner =
                Learner.create(LearnerConfig.builder(LearnerKind.ADAM, 2, 2, 1).build(), 1L);
        byte[] data = bytes(learner);
        byte[] truncated = java.util.Arrays.copyOf(data, data.length - 5);
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(IOException.class);
    }

    @Test
    void divergedLearnerKeepsItsStateThroughCodec() throws IOException {
        Learner learner =
                Learner.create(
                        LearnerConfig.builder(LearnerKind.BACKPROP, 2, 3, 1).stepSize(1e300).build(),
                        1L);
        double[] x = {1, 1};
        double[] y = {1e10};
        while (!learner.diverged()) {
            learner.step(x, y);
        }
        Learner restored = roundTrip(learner);
        assertThat(restored.diverged()).isTrue();
        assertThat(restored.divergedAtStep()).isEqualTo(learner.divergedAtStep());
        assertThatThrownBy(() -> restored.step(x, y))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("diverged at step " + learner.divergedAtStep());
    }

    private static byte[] bytes(Learner learner) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            LearnerStateCodec.write(learner, out);
        }
        return buffer.toByteArray();
    }

    private static Learner read(byte[] data) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return LearnerStateCodec.read(in);
        }
    }

    private static Learner roundTrip(Learner learner) throws IOException {
        return read(bytes(learner));
    }
}
