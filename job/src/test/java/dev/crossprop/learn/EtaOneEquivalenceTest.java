package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With eta = 1 the crossprop rules reduce to backprop with SGD: the memory term is multiplied by
 * (1 - eta) = 0 and the remaining term is the gradient. The learners compute the same products
 * in the same order in that case, so the comparison is exact, bit for bit.
 */
class EtaOneEquivalenceTest {

    private static final int STEPS = 1_200;

    @ParameterizedTest(name = "{0} {1} {2}-{3}-{4} {5}")
    @CsvSource({
        "crossprop, regression, 6, 8, 1, tanh",
        "crossprop, regression, 5, 7, 3, sigmoid",
        "crossprop, classification, 6, 8, 4, tanh",
        "crossprop, classification, 5, 6, 3, relu",
        "crossprop-approx, regression, 6, 8, 1, tanh",
        "crossprop-approx, regression, 5, 7, 3, relu",
        "crossprop-approx, classification, 6, 8, 4, tanh",
        "crossprop-approx, classification, 5, 6, 3, sigmoid",
    })
    void etaOneMatchesBackpropStepForStep(
            String kind, String output, int m, int n, int k, String activation) {
        LearnerConfig backpropConfig =
                LearnerConfig.builder(LearnerKind.BACKPROP, m, n, k)
                        .outputKind(OutputKind.fromId(output))
                        .activation(Activation.fromId(activation))
                        .stepSizeU(0.01)
                        .stepSizeW(0.02)
                        .build();
        LearnerConfig crosspropConfig =
                LearnerConfig.builder(LearnerKind.fromId(kind), m, n, k)
                        .outputKind(OutputKind.fromId(output))
                        .activation(Activation.fromId(activation))
                        .stepSizeU(0.01)
                        .stepSizeW(0.02)
                        .eta(1.0)
                        .build();
        Learner backprop = Learner.create(backpropConfig, 11L);
        Learner crossprop = Learner.create(crosspropConfig, 11L);
        Examples examples = Examples.random(STEPS, m, k, 5L);

        for (int t = 0; t < STEPS; t++) {
            StepResult expected = examples.step(backprop, t);
            double expectedError = expected.error();
            double expectedU = expected.uChangeSquared();
            double expectedW = expected.wChangeSquared();
            StepResult actual = examples.step(crossprop, t);
            assertThat(actual.error()).as("error at step %d", t + 1).isEqualTo(expectedError);
            assertThat(actual.uChangeSquared()).as("|U - U0|^2 at step %d", t + 1)
                    .isEqualTo(expectedU);
            assertThat(actual.wChangeSquared()).as("|W - W0|^2 at step %d", t + 1)
                    .isEqualTo(expectedW);
        }
        assertThat(crossprop.weights()).isEqualTo(backprop.weights());
        assertThat(crossprop.weights()).isNotEqualTo(crossprop.initialWeights());
    }
}
