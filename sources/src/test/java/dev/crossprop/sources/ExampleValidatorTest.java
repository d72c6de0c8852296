package dev.crossprop.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

class ExampleValidatorTest {

    private static final ExampleValidator REGRESSION = new ExampleValidator(3, 1, 0);
    private static final ExampleValidator CLASSIFIER = new ExampleValidator(2, 0, 10);

    private static InvalidReason reasonOf(ExampleValidator validator, Example example) {
        try {
            validator.validate(example);
        } catch (InvalidExampleException e) {
            return e.reason();
        }
        return null;
    }

    private static Example regression(long index, double[] x, double[] y) {
        return Example.regression("r", index, "A", x, y);
    }

    @Test
    void acceptsValidExamples() {
        assertThatCode(
                        () ->
                                REGRESSION.validate(
                                        regression(0, new double[] {1, 0, 1}, new double[] {2})))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                CLASSIFIER.validate(
                                        Example.classification(
                                                "r", 5, "A", new double[] {0, 1}, 9)))
                .doesNotThrowAnyException();
    }

    @Test
    void regressionRules() {
        assertThat(reasonOf(REGRESSION, regression(-1, new double[3], new double[1])))
                .isEqualTo(InvalidReason.NEGATIVE_INDEX);
        assertThat(reasonOf(REGRESSION, regression(0, new double[2], new double[1])))
                .isEqualTo(InvalidReason.WRONG_INPUT_COUNT);
        assertThat(reasonOf(REGRESSION, regression(0, new double[3], new double[2])))
                .isEqualTo(InvalidReason.WRONG_TARGET_COUNT);
        assertThat(reasonOf(REGRESSION, Example.classification("r", 0, "A", new double[3], 1)))
                .isEqualTo(InvalidReason.WRONG_TARGET_COUNT);
        assertThat(
                        reasonOf(
                                REGRESSION,
                                regression(0, new double[] {0, Double.NaN, 0}, new double[1])))
                .isEqualTo(InvalidReason.NON_FINITE_INPUT);
        assertThat(
                        reasonOf(
                                REGRESSION,
                                regression(
                                        0, new double[3], new double[] {Double.POSITIVE_INFINITY})))
                .isEqualTo(InvalidReason.NON_FINITE_TARGET);
    }

    @Test
    void classificationRules() {
        assertThat(reasonOf(CLASSIFIER, Example.classification("r", 0, "A", new double[2], 10)))
                .isEqualTo(InvalidReason.LABEL_OUT_OF_RANGE);
        assertThat(reasonOf(CLASSIFIER, Example.classification("r", 0, "A", new double[2], -1)))
                .isEqualTo(InvalidReason.LABEL_OUT_OF_RANGE);
        assertThat(reasonOf(CLASSIFIER, regression(0, new double[2], new double[1])))
                .isEqualTo(InvalidReason.LABEL_OUT_OF_RANGE);
        assertThat(
                        reasonOf(
                                CLASSIFIER,
                                Example.classification(
                                        "r", 0, "A", new double[] {Double.NaN, 0}, 1)))
                .isEqualTo(InvalidReason.NON_FINITE_INPUT);
    }

    @Test
    void messagesNameValueAndFix() {
        assertThatThrownBy(() -> REGRESSION.validate(regression(4, new double[5], new double[1])))
                .hasMessageContaining("r#4")
                .hasMessageContaining("has 5 inputs")
                .hasMessageContaining("expect 3");
        assertThatThrownBy(
                        () ->
                                CLASSIFIER.validate(
                                        Example.classification("r", 0, "A", new double[2], 12)))
                .hasMessageContaining("label 12")
                .hasMessageContaining("[0, 10)");
        assertThatThrownBy(
                        () ->
                                REGRESSION.validate(
                                        regression(
                                                0, new double[] {0, 0, Double.NaN}, new double[1])))
                .hasMessageContaining("x[2] = NaN");
    }

    @Test
    void constructorRejectsBadCounts() {
        assertThatThrownBy(() -> new ExampleValidator(0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input count is 0");
        assertThatThrownBy(() -> new ExampleValidator(3, 1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new ExampleValidator(3, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExampleValidator(3, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(CLASSIFIER);
        }
        ExampleValidator copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ExampleValidator) in.readObject();
        }

        assertThat(copy.inputs()).isEqualTo(2);
        assertThat(copy.classes()).isEqualTo(10);
        assertThat(copy.targets()).isZero();
    }
}
