package dev.crossprop.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

class ExampleJsonTest {

    @Test
    void writesFieldsInDocumentedOrder() {
        Example regression =
                Example.regression("r1", 0, "A", new double[] {1, 0.5}, new double[] {-2});
        Example classification = Example.classification("r1", 1, "B", new double[] {0.25}, 3);

        assertThat(ExampleJson.toJson(regression))
                .isEqualTo(
                        "{\"run\":\"r1\",\"index\":0,\"task\":\"A\",\"x\":[1.0,0.5],\"y\":[-2.0]}");
        assertThat(ExampleJson.toJson(classification))
                .isEqualTo("{\"run\":\"r1\",\"index\":1,\"task\":\"B\",\"x\":[0.25],\"label\":3}");
    }

    @Test
    void parsesRegressionAndClassification() throws Exception {
        Example regression =
                ExampleJson.parse(
                        "{\"run\": \"r1\", \"index\": 0, \"task\": \"A\", \"x\": [1, 0.5], \"y\":"
                            + " [3]}");
        Example classification =
                ExampleJson.parse(
                        "{\"label\": 3, \"x\": [0.25], \"task\": \"B\", \"index\": 9, \"run\":"
                            + " \"r2\"}");

        assertThat(regression)
                .isEqualTo(
                        Example.regression("r1", 0, "A", new double[] {1, 0.5}, new double[] {3}));
        assertThat(classification)
                .isEqualTo(Example.classification("r2", 9, "B", new double[] {0.25}, 3));
    }

    @Test
    void randomDoublesRoundTripBitForBit() throws Exception {
        // Random bit patterns cover subnormals, huge exponents and 17-digit mantissas.
        SplittableRandom random = new SplittableRandom(42);
        double[] x = new double[2000];
        for (int i = 0; i < x.length; i++) {
            double value;
            do {
                value = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(value));
            x[i] = value;
        }
        x[0] = Double.MIN_VALUE;
        x[1] = -Double.MAX_VALUE;
        x[2] = 0.1 + 0.2;
        x[3] = -0.0;
        Example example = Example.regression("r", 5, "A", x, new double[] {Math.PI});

        assertThat(ExampleJson.parse(ExampleJson.toJson(example))).isEqualTo(example);
        assertThat(ExampleJson.parse(ExampleJson.toUtf8(example))).isEqualTo(example);
    }

    @Test
    void writesShortestDecimalForm() {
        Example example =
                Example.regression(
                        "r", 0, "A", new double[] {0.1 + 0.2, 1e-7}, new double[] {2e22});

        // 0.1 + 0.2 is the double 0.30000000000000004, whose shortest round-trip form has 17
        // digits; 1e-7 and 2e22 have one significant digit.
        assertThat(ExampleJson.toJson(example))
                .contains("[0.30000000000000004,1.0E-7]", "[2.0E22]");
    }

    @Test
    void nonFiniteValueCannotBeWritten() {
        Example example =
                Example.regression("r", 4, "A", new double[] {1, Double.NaN}, new double[] {0});

        assertThatThrownBy(() -> ExampleJson.toJson(example))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x[1] is NaN");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty | '' | EMPTY",
                "blank | '   ' | EMPTY",
                "not json | hello | NOT_JSON",
                "cut short | '{\"run\": \"r\", \"index\": 0' | NOT_JSON",
                "bare NaN | '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[NaN],\"y\":[1]}' |"
                    + " NOT_JSON",
                "bare Infinity |"
                    + " '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[Infinity]}' |"
                    + " NOT_JSON",
                "array | '[1, 2]' | NOT_JSON",
                "duplicate field |"
                    + " '{\"run\":\"r\",\"run\":\"q\",\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[1]}'"
                    + " | NOT_JSON",
                "no run | '{\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[1]}' | MISSING_FIELD",
                "empty run | '{\"run\":\"\",\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[1]}' |"
                    + " MISSING_FIELD",
                "no index | '{\"run\":\"r\",\"task\":\"A\",\"x\":[1],\"y\":[1]}' | MISSING_FIELD",
                "no task | '{\"run\":\"r\",\"index\":0,\"x\":[1],\"y\":[1]}' | MISSING_FIELD",
                "no x | '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"y\":[1]}' | MISSING_FIELD",
                "no y or label | '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1]}' |"
                    + " MISSING_FIELD",
                "y and label |"
                    + " '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[1],\"label\":2}'"
                    + " | CONFLICTING_FIELDS",
                "string input |"
                    + " '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[\"1\"],\"y\":[1]}' |"
                    + " WRONG_TYPE",
                "x not array | '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":1,\"y\":[1]}' |"
                    + " WRONG_TYPE",
                "fractional index |"
                    + " '{\"run\":\"r\",\"index\":0.5,\"task\":\"A\",\"x\":[1],\"y\":[1]}' |"
                    + " WRONG_TYPE",
                "numeric run | '{\"run\":7,\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[1]}' |"
                    + " WRONG_TYPE",
                "huge index |"
                    + " '{\"run\":\"r\",\"index\":99999999999999999999,\"task\":\"A\",\"x\":[1],\"y\":[1]}'"
                    + " | WRONG_TYPE",
                "huge label |"
                    + " '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1],\"label\":3000000000}'"
                    + " | LABEL_OUT_OF_RANGE",
                "two objects | '{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1],\"y\":[1]} {}'"
                    + " | TRAILING_DATA",
            })
    void rejectsInvalidRecord(String name, String line, InvalidReason reason) {
        String text = line == null ? "" : line;
        assertThatThrownBy(() -> ExampleJson.parse(text))
                .isInstanceOf(InvalidExampleException.class)
                .extracting(e -> ((InvalidExampleException) e).reason())
                .isEqualTo(reason);
        assertThatThrownBy(() -> ExampleJson.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidExampleException.class)
                .extracting(e -> ((InvalidExampleException) e).reason())
                .isEqualTo(reason);
    }

    @Test
    void bareNaNMessageOmitsParserSettings() {
        assertThatThrownBy(() -> ExampleJson.parse("{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[NaN],\"y\":[1]}"))
                .isInstanceOf(InvalidExampleException.class)
                .hasMessageContaining("Non-standard token 'NaN'")
                .hasMessageContaining("(NaN and Infinity are not JSON)")
                .hasMessageNotContaining("JsonReadFeature")
                .hasMessageNotContaining("enable");
    }

    @Test
    void missingFieldMessageNamesField() {
        assertThatThrownBy(
                        () -> ExampleJson.parse("{\"run\":\"r\",\"index\":0,\"x\":[1],\"y\":[1]}"))
                .hasMessageContaining("\"task\"");
    }

    @Test
    void wrongTypeMessageNamesValueInPlainWords() {
        assertThatThrownBy(() -> ExampleJson.parse(
                        "{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1],\"label\":1.5}"))
                .hasMessage("Field \"label\" is the number 1.5 but must be an integer.");
        assertThatThrownBy(() -> ExampleJson.parse(
                        "{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1, \"two\"],\"y\":[1]}"))
                .hasMessage("Field \"x\" element 1 is the string \"two\" but must be a number.");
        assertThatThrownBy(() -> ExampleJson.parse("[1, 2]"))
                .hasMessageStartingWith("Record is JSON but not an object (it is an array)");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        Example example =
                ExampleJson.parse(
                        "{\"run\":\"r\",\"source\":{\"sensor\":[1,2]},\"index\":0,\"task\":\"A\","
                                + "\"x\":[1],\"note\":\"hi\",\"y\":[1]}");

        assertThat(example)
                .isEqualTo(Example.regression("r", 0, "A", new double[] {1}, new double[] {1}));
    }

    @Test
    void overflowingNumberBecomesInfinityForValidator() throws Exception {
        // 1e999 is valid JSON syntax; it parses to infinity, which ExampleValidator rejects.
        Example example =
                ExampleJson.parse(
                        "{\"run\":\"r\",\"index\":0,\"task\":\"A\",\"x\":[1e999],\"y\":[1]}");

        assertThat(example.x()[0]).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void recordAboveLimitIsTooLarge() {
        byte[] big = new byte[ExampleCodec.MAX_RECORD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');

        assertThatThrownBy(() -> ExampleJson.parse(big))
                .extracting(e -> ((InvalidExampleException) e).reason())
                .isEqualTo(InvalidReason.TOO_LARGE);
    }
}
