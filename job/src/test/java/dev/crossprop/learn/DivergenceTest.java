package dev.crossprop.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DivergenceTest {

    /**
     * A step size of 1e200 moves some weight to about 1e200 in the first step. The same goes for
     * RMSProp and Adam too, because their steps are about the step size whatever the gradient.
     * The next prediction then overflows to infinity, or the update to NaN.
     */
    @ParameterizedTest
    @EnumSource(LearnerKind.class)
    void hugeStepSizeDiverges(LearnerKind kind) {
        LearnerConfig config =
                LearnerConfig.builder(kind, 3, 5, 2)
                        .activation(Activation.RELU)
                        .stepSize(1e200)
                        .build();
        Learner learner = Learner.create(config, 1L);
        double[] x = {1.0, 0.5, 2.0};
        double[] target = {1e3, -1e3};

        StepResult last = null;
        for (int t = 0; t < 1_000 && !learner.diverged(); t++) {
            last = learner.step(x, target);
            assertThat(last.diverged()).isEqualTo(learner.diverged());
        }
        assertThat(learner.diverged()).isTrue();
        assertThat(last.diverged()).isTrue();
        long at = last.step();
        assertThat(learner.divergedAtStep()).isEqualTo(at);
        assertThat(learner.stepCount()).isEqualTo(at);
        boolean nonFinite =
                !Double.isFinite(last.error())
                        || !Double.isFinite(last.uChangeSquared())
                        || !Double.isFinite(last.wChangeSquared())
                        || !finite(learner.weights());
        assertThat(nonFinite).as("something non-finite was found").isTrue();

        assertThatThrownBy(() -> learner.step(x, target))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("diverged at step " + at);
        assertThat(learner.stepCount()).isEqualTo(at);
    }

    private static boolean finite(Weights w) {
        for (double[] row : w.u) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        for (double v : w.b) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        for (double[] row : w.w) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        for (double v : w.c) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
