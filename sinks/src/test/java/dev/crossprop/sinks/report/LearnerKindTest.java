package dev.crossprop.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LearnerKindTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "crossprop-eta0, CROSSPROP",
        "crossprop, CROSSPROP",
        "crossprop-approx-eta0.5, CROSSPROP_APPROX",
        "Crossprop_Approx, CROSSPROP_APPROX",
        "backprop-sgd, BACKPROP",
        "adam, ADAM",
        "adam-lr1e-3, ADAM",
        "rmsprop_0.9, RMSPROP",
        "momentum-0.9, MOMENTUM",
        "crosspropX, UNKNOWN",
        "sgd, UNKNOWN",
        "adamw, UNKNOWN",
    })
    void fromLabelUsesLongestPrefix(String label, LearnerKind expected) {
        assertThat(LearnerKind.fromLabel(label)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "crossprop, CROSSPROP",
        "CROSSPROP-APPROX, CROSSPROP_APPROX",
        "rmsprop, RMSPROP",
    })
    void fromIdMatchesManifestSpelling(String id, LearnerKind expected) {
        assertThat(LearnerKind.fromId(id)).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"unknown", "crossprop-eta0", "sgd"})
    void fromIdRejectsOthers(String id) {
        assertThat(LearnerKind.fromId(id)).isEmpty();
    }
}
