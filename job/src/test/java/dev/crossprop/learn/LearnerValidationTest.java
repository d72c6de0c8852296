package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LearnerValidationTest {

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                config("step size zero", b -> b.stepSize(0.0), "step size of U = 0.0",
                        "greater than 0"),
                config("step size negative", b -> b.stepSizeW(-0.1), "step size of W = -0.1",
                        "greater than 0"),
                config("step size NaN", b -> b.stepSizeU(Double.NaN), "step size of U = NaN",
                        "finite"),
                config("step size infinite", b -> b.stepSize(Double.POSITIVE_INFINITY),
                        "step size of U = Infinity", "finite"),
                config("eta below 0", b -> b.eta(-0.01), "eta = -0.01", "[0, 1]"),
                config("eta above 1", b -> b.eta(1.5), "eta = 1.5", "[0, 1]"),
                config("eta NaN", b -> b.eta(Double.NaN), "eta = NaN", "[0, 1]"),
                config("momentum 1", b -> b.momentum(1.0), "momentum = 1.0", "[0, 1)"),
                config("RMSProp decay negative", b -> b.rmsDecay(-0.5), "RMSProp decay = -0.5",
                        "[0, 1)"),
                config("RMSProp epsilon zero", b -> b.rmsEpsilon(0.0), "RMSProp epsilon = 0.0",
                        "greater than 0"),
                config("RMSProp initial negative", b -> b.rmsInitial(-1.0),
                        "RMSProp initial mean square = -1.0", "at least 0"),
                config("Adam beta1 1", b -> b.adamBeta1(1.0), "Adam beta1 = 1.0", "[0, 1)"),
                config("Adam beta2 2", b -> b.adamBeta2(2.0), "Adam beta2 = 2.0", "[0, 1)"),
                config("Adam epsilon negative", b -> b.adamEpsilon(-1e-8),
                        "Adam epsilon = -1.0E-8", "greater than 0"));
    }

    private static Arguments config(
            String name, Consumer<LearnerConfig.Builder> change, String value, String range) {
        return Arguments.of(name, change, value, range);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalidConfigIsRejected(
            String name, Consumer<LearnerConfig.Builder> change, String value, String range) {
        LearnerConfig.Builder builder = LearnerConfig.builder(LearnerKind.CROSSPROP, 3, 4, 1);
        change.accept(builder);
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(value)
                .hasMessageContaining(range);
    }

    static Stream<Arguments> invalidSizes() {
        return Stream.of(
                Arguments.of(0, 4, 1, "regression", "inputs (m) = 0", "at least 1"),
                Arguments.of(3, 0, 1, "regression", "hidden units (n) = 0", "at least 1"),
                Arguments.of(3, 4, 0, "regression", "outputs (k) = 0", "at least 1"),
                Arguments.of(3, 4, -2, "regression", "outputs (k) = -2", "at least 1"),
                Arguments.of(3, 4, 1, "classification", "outputs (k) = 1", "at least 2"));
    }

    @ParameterizedTest(name = "{0}-{1}-{2} {3}")
    @MethodSource("invalidSizes")
    void invalidSizeIsRejected(
            int m, int n, int k, String output, String value, String range) {
        LearnerConfig.Builder builder =
                LearnerConfig.builder(LearnerKind.BACKPROP, m, n, k)
                        .outputKind(OutputKind.fromId(output));
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(value)
                .hasMessageContaining(range);
    }

    @Test
    void etaForBackpropIsRejected() {
        assertThatThrownBy(() -> LearnerConfig.builder(LearnerKind.ADAM, 2, 2, 1).eta(0.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eta = 0.5")
                .hasMessageContaining("only crossprop and crossprop-approx");
    }

    static Stream<Arguments> invalidSteps() {
        Learner regression =
                Learner.create(LearnerConfig.builder(LearnerKind.BACKPROP, 3, 4, 2).build(), 1L);
        Learner classification =
                Learner.create(
                        LearnerConfig.builder(LearnerKind.CROSSPROP_APPROX, 3, 4, 5)
                                .outputKind(OutputKind.CLASSIFICATION)
                                .build(),
                        1L);
        double[] x = {1, 2, 3};
        double[] y = {1, 2};
        return Stream.of(
                step("input too short", () -> regression.step(new double[] {1, 2}, y),
                        "Input has 2 values", "m = 3"),
                step("input too long", () -> classification.step(new double[4], 1),
                        "Input has 4 values", "m = 3"),
                step("input missing", () -> regression.step(null, y), "Input has no values",
                        "m = 3"),
                step("input NaN", () -> regression.step(new double[] {1, Double.NaN, 3}, y),
                        "Input value 1 = NaN", "finite"),
                step("input infinite",
                        () -> classification.step(new double[] {Double.NEGATIVE_INFINITY, 0, 0}, 1),
                        "Input value 0 = -Infinity", "finite"),
                step("target too short", () -> regression.step(x, new double[] {1}),
                        "Target has 1 values", "k = 2"),
                step("target NaN", () -> regression.step(x, new double[] {1, Double.NaN}),
                        "Target value 1 = NaN", "finite"),
                step("label negative", () -> classification.step(x, -1), "Label -1",
                        "[0, 4]"),
                step("label too large", () -> classification.step(x, 5), "Label 5", "[0, 4]"));
    }

    private static Arguments step(String name, Runnable call, String value, String range) {
        return Arguments.of(name, call, value, range);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSteps")
    void invalidExampleIsRejected(String name, Runnable call, String value, String range) {
        assertThatThrownBy(call::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(value)
                .hasMessageContaining(range);
    }

    @Test
    void wrongOutputKindIsMisuse() {
        Learner regression =
                Learner.create(LearnerConfig.builder(LearnerKind.BACKPROP, 1, 2, 2).build(), 1L);
        assertThatThrownBy(() -> regression.step(new double[] {1}, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configured for regression");
    }

    @Test
    void initialWeightsOfWrongShapeAreRejected() {
        LearnerConfig config = LearnerConfig.builder(LearnerKind.BACKPROP, 2, 3, 1).build();
        Weights other = InitialWeights.draw(
                LearnerConfig.builder(LearnerKind.BACKPROP, 2, 4, 1).build(), 1L);
        assertThatThrownBy(() -> Learner.create(config, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2-4-1")
                .hasMessageContaining("2-3-1");
    }

    @Test
    void nonFiniteInitialWeightIsRejected() {
        LearnerConfig config = LearnerConfig.builder(LearnerKind.BACKPROP, 2, 3, 1).build();
        Weights weights = InitialWeights.draw(config, 1L);
        weights.w[2][0] = Double.NaN;
        assertThatThrownBy(() -> Learner.create(config, weights))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("W[2][0] = NaN");
    }

    @Test
    void raggedWeightsAreRejected() {
        assertThatThrownBy(
                        () -> new Weights(
                                new double[][] {{1, 2}, {3}},
                                new double[2],
                                new double[2][1],
                                new double[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U row 1 has 1 values but row 0 has 2");
        assertThatThrownBy(
                        () -> new Weights(
                                new double[][] {{1, 2}}, new double[3], new double[2][1],
                                new double[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b has 3 values but U is 1 x 2");
    }

    @Test
    void unknownIdsListAllowedIds() {
        assertThatThrownBy(() -> LearnerKind.fromId("sgd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sgd'")
                .hasMessageContaining("crossprop, crossprop-approx, backprop, momentum, rmsprop, adam");
        assertThatThrownBy(() -> Activation.fromId("softplus"))
                .hasMessageContaining("tanh, sigmoid, relu");
        assertThatThrownBy(() -> OutputKind.fromId("ranking"))
                .hasMessageContaining("regression, classification");
        assertThatThrownBy(() -> Initialization.fromId("xavier"))
                .hasMessageContaining("normal, scaled-normal");
    }
}
