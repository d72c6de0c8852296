package dev.crossprop.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExampleTest {

    @Test
    void regressionHasTargetsAndNoLabel() {
        double[] x = {1, 0};
        double[] y = {2.5};
        Example e = Example.regression("r1", 3, "A", x, y);

        assertThat(e.run()).isEqualTo("r1");
        assertThat(e.index()).isEqualTo(3);
        assertThat(e.task()).isEqualTo("A");
        assertThat(e.x()).isSameAs(x);
        assertThat(e.y()).isSameAs(y);
        assertThat(e.label()).isEqualTo(Example.NO_LABEL);
        assertThat(e.isClassification()).isFalse();
    }

    @Test
    void classificationHasLabelAndNoTargets() {
        Example e = Example.classification("r1", 0, "B", new double[] {0.5}, 7);

        assertThat(e.y()).isNull();
        assertThat(e.label()).isEqualTo(7);
        assertThat(e.isClassification()).isTrue();
    }

    @Test
    void equalsComparesArraysBitForBit() {
        Example a = Example.regression("r", 0, "A", new double[] {0.0}, new double[] {1});
        Example same = Example.regression("r", 0, "A", new double[] {0.0}, new double[] {1});
        Example negativeZero =
                Example.regression("r", 0, "A", new double[] {-0.0}, new double[] {1});
        Example classification = Example.classification("r", 0, "A", new double[] {0.0}, 1);

        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(a).isNotEqualTo(negativeZero);
        assertThat(a).isNotEqualTo(classification);
        assertThat(a)
                .isNotEqualTo(
                        Example.regression("r", 1, "A", new double[] {0.0}, new double[] {1}));
        assertThat(a)
                .isNotEqualTo(
                        Example.regression("q", 0, "A", new double[] {0.0}, new double[] {1}));
        assertThat(a)
                .isNotEqualTo(
                        Example.regression("r", 0, "B", new double[] {0.0}, new double[] {1}));
    }

    @Test
    void toStringIsShort() {
        Example e =
                Example.regression("geoff-seed-1", 12, "A", new double[1000], new double[] {0.25});

        assertThat(e.toString())
                .isEqualTo("Example{run=geoff-seed-1, index=12, task=A, inputs=1000, y=0.25}");
        assertThat(Example.classification("m", 1, "B", new double[784], 3).toString())
                .isEqualTo("Example{run=m, index=1, task=B, inputs=784, label=3}");
    }

    @Test
    void emptyRunIdIsRejected() {
        assertThatThrownBy(() -> Example.classification("", 0, "A", new double[1], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Run id is empty");
    }

    @Test
    void reasonIdsAreLowerCaseWithDashes() {
        assertThat(InvalidReason.WRONG_INPUT_COUNT.id()).isEqualTo("wrong-input-count");
        for (InvalidReason reason : InvalidReason.values()) {
            assertThat(reason.id()).matches("[a-z]+(-[a-z]+)*");
        }
    }

    @Test
    void wireFormatFromId() {
        assertThat(WireFormat.fromId("json")).isEqualTo(WireFormat.JSON);
        assertThat(WireFormat.fromId("BINARY")).isEqualTo(WireFormat.BINARY);
        assertThatThrownBy(() -> WireFormat.fromId("avro"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'avro'")
                .hasMessageContaining("json, binary");
    }
}
