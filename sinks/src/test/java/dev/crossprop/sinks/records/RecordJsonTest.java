package dev.crossprop.sinks.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordJsonTest {

    /** Jackson's generator with its shortest-form double writer, the reference for the encoders. */
    private static final JsonFactory GENERATOR_FACTORY =
            JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    /** A reader independent of RecordJson that rejects bare NaN and Infinity tokens. */
    private static final ObjectMapper STRICT =
            JsonMapper.builder(
                            JsonFactory.builder()
                                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                                    .build())
                    .build();

    private static JsonNode readStrict(byte[] json) throws IOException {
        return STRICT.readTree(json);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void regressionHasNoAccuracy() throws IOException {
        ErrorRecord record =
                new ErrorRecord("g/crossprop-eta0", "g", "crossprop-eta0", "A", 5, 6, 0.25,
                        Double.NaN, 1, false);

        byte[] json = RecordJson.toJson(record);

        assertThat(RecordJson.text(json))
                .isEqualTo(
                        "{\"experiment\":\"g/crossprop-eta0\",\"run\":\"g\",\"learner\":\"crossprop-eta0\","
                                + "\"task\":\"A\",\"index\":5,\"step\":6,\"error\":0.25,"
                                + "\"examples\":1,\"diverged\":false}");
        JsonNode node = readStrict(json);
        assertThat(node.has("accuracy")).isFalse();
        assertThat(node.has("correct")).isFalse();
        ErrorRecord back = RecordJson.parseError(json);
        assertThat(back).isEqualTo(record);
        assertThat(back.accuracy()).isNaN();
    }

    @Test
    void singleClassificationHasCorrect() throws IOException {
        ErrorRecord right =
                new ErrorRecord("m/adam", "m", "adam", "B", 0, 1, 0.1, 1.0, 1, false);
        ErrorRecord wrong =
                new ErrorRecord("m/adam", "m", "adam", "B", 1, 2, 2.3, 0.0, 1, false);

        JsonNode rightNode = readStrict(RecordJson.toJson(right));
        JsonNode wrongNode = readStrict(RecordJson.toJson(wrong));

        assertThat(rightNode.get("correct").booleanValue()).isTrue();
        assertThat(rightNode.get("accuracy").doubleValue()).isEqualTo(1.0);
        assertThat(wrongNode.get("correct").booleanValue()).isFalse();
        assertThat(wrongNode.get("accuracy").doubleValue()).isEqualTo(0.0);
        assertThat(RecordJson.parseError(RecordJson.toJson(right))).isEqualTo(right);
        assertThat(RecordJson.parseError(RecordJson.toJson(wrong))).isEqualTo(wrong);
    }

    @Test
    void classificationWindowHasNoCorrect() throws IOException {
        ErrorRecord record =
                new ErrorRecord("m/adam", "m", "adam", "B", 99, 100, 0.5, 0.73, 100, false);

        JsonNode node = readStrict(RecordJson.toJson(record));

        assertThat(node.has("correct")).isFalse();
        assertThat(node.get("accuracy").doubleValue()).isEqualTo(0.73);
        assertThat(RecordJson.parseError(RecordJson.toJson(record))).isEqualTo(record);
    }

    @Test
    void divergedErrorIsNull() throws IOException {
        ErrorRecord record =
                new ErrorRecord("r/l", "r", "l", "A", 7, 8, Double.POSITIVE_INFINITY, Double.NaN, 1,
                        true);

        byte[] json = RecordJson.toJson(record);

        JsonNode node = readStrict(json);
        assertThat(node.get("error").isNull()).isTrue();
        assertThat(node.get("diverged").booleanValue()).isTrue();
        ErrorRecord back = RecordJson.parseError(json);
        assertThat(back.error()).isNaN();
        assertThat(back.diverged()).isTrue();
    }

    @Test
    void divergedNormIsNull() throws IOException {
        NormRecord record =
                new NormRecord("r/l", "r", "l", "A", 7, 8, Double.NaN, Double.NEGATIVE_INFINITY, 1,
                        true);

        byte[] json = RecordJson.toJson(record);

        JsonNode node = readStrict(json);
        for (String field : List.of("u_change", "w_change", "u_change_sq", "w_change_sq")) {
            assertThat(node.get(field).isNull()).as(field).isTrue();
        }
        NormRecord back = RecordJson.parseNorm(json);
        assertThat(back.uChange()).isNaN();
        assertThat(back.wChange()).isNaN();
        assertThat(back.diverged()).isTrue();
    }

    @Test
    void normHasSquaresInOrder() throws IOException {
        NormRecord record = new NormRecord("r/l", "r", "l", "A", 3, 4, 0.5, 3.0, 1, false);

        byte[] json = RecordJson.toJson(record);

        // 0.5^2 = 0.25 and 3^2 = 9 are exact in binary floating point.
        assertThat(RecordJson.text(json))
                .isEqualTo(
                        "{\"experiment\":\"r/l\",\"run\":\"r\",\"learner\":\"l\",\"task\":\"A\","
                                + "\"index\":3,\"step\":4,\"u_change\":0.5,\"w_change\":3.0,"
                                + "\"u_change_sq\":0.25,\"w_change_sq\":9.0,\"examples\":1,"
                                + "\"diverged\":false}");
        assertThat(readStrict(json).get("w_change_sq").doubleValue()).isEqualTo(9.0);
        assertThat(RecordJson.parseNorm(json)).isEqualTo(record);
    }

    @Test
    void awkwardStringsRoundTrip() throws IOException {
        String learner = "adam, \"fast\" \\ ü";
        ErrorRecord error =
                new ErrorRecord("run,1/" + learner, "run,1", learner, "", 0, 1, 2.0, Double.NaN, 1,
                        false);
        NormRecord norm =
                new NormRecord("run,1/" + learner, "run,1", learner, "", 0, 1, 2.0, 1.0, 1, false);

        assertThat(readStrict(RecordJson.toJson(error)).get("learner").textValue()).isEqualTo(learner);
        assertThat(RecordJson.parseError(RecordJson.toJson(error))).isEqualTo(error);
        assertThat(RecordJson.parseNorm(RecordJson.toJson(norm))).isEqualTo(norm);
    }

    @Test
    void doublesRoundTripExactly() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            double value = Math.abs(random.nextGaussian()) * Math.pow(10, random.nextInt(40) - 20);
            ErrorRecord record =
                    new ErrorRecord("r/l", "r", "l", "A", i, i + 1, value, random.nextDouble(), 3,
                            false);

            byte[] json = RecordJson.toJson(record);

            assertThat(readStrict(json).get("error").doubleValue()).isEqualTo(value);
            assertThat(RecordJson.parseError(json)).isEqualTo(record);
        }
    }

    @Test
    void extremeDoublesRoundTripShortest() throws IOException {
        for (double value : DoubleCases.nonNegative(11, 2000)) {
            NormRecord norm = new NormRecord("r/l", "r", "l", "A", 1, 1, value, value, 1, false);

            byte[] json = RecordJson.toJson(norm);

            String written = readStrict(json).get("u_change").asText();
            assertThat(Double.parseDouble(written)).as(written).isEqualTo(value);
            assertThat(DoubleCases.significantDigits(written)).as(written)
                    .isLessThanOrEqualTo(DoubleCases.significantDigits(Double.toString(value)));
            assertThat(RecordJson.parseNorm(json).uChange()).isEqualTo(value);
        }
    }

    @Test
    void encodingEqualsJacksonGenerator() throws IOException {
        Random random = new Random(5);
        // Ids with quotes, backslashes, control characters and non-ASCII text. Jackson's generator
        // escapes a surrogate pair as two \\u escapes, which surrogatePairIsWrittenAsUtf8 covers.
        String[] texts = {"geoff-seed-7", "crossprop-eta0.5", "a\"b", "back\\slash", "tab\tend",
            "bell\u0007", "caf\u00e9", "\u6f22\u5b57", "/slash/", ""};
        double[] specials = {0.0, -0.0, 1.0, 0.1 + 0.2, 1e-5, 1e23, Double.MIN_VALUE, Double.MAX_VALUE};

        for (int i = 0; i < 3000; i++) {
            String run = texts[random.nextInt(texts.length - 1)];
            String learner = texts[random.nextInt(texts.length - 1)];
            String task = texts[random.nextInt(texts.length)];
            String experiment = run + "/" + learner;
            long index = random.nextInt(1_000_000);
            boolean diverged = random.nextInt(10) == 0;
            double value = randomValue(random, specials, diverged);
            double accuracy = random.nextBoolean() ? Double.NaN : random.nextInt(2);
            int examples = accuracy == accuracy && random.nextBoolean() ? 1 + random.nextInt(100) : 1;
            ErrorRecord error = new ErrorRecord(experiment, run, learner, task, index, index + 1, value, accuracy,
                    examples, diverged);
            NormRecord norm = new NormRecord(experiment, run, learner, task, index, index + 1, value,
                    randomValue(random, specials, diverged), examples, diverged);

            assertThat(new String(RecordJson.toJson(error), StandardCharsets.UTF_8))
                    .isEqualTo(new String(generatorJson(error), StandardCharsets.UTF_8));
            assertThat(new String(RecordJson.toJson(norm), StandardCharsets.UTF_8))
                    .isEqualTo(new String(generatorJson(norm), StandardCharsets.UTF_8));
        }
    }

    @Test
    void surrogatePairIsWrittenAsUtf8() throws IOException {
        String learner = "emoji \ud83d\ude00";
        ErrorRecord record = new ErrorRecord("r/" + learner, "r", learner, "A", 0, 1, 0.5, Double.NaN, 1, false);

        byte[] json = RecordJson.toJson(record);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"learner\":\"emoji \ud83d\ude00\"");
        assertThat(readStrict(json).get("learner").asText()).isEqualTo(learner);
        assertThat(RecordJson.parseError(json)).isEqualTo(record);
    }

    private static double randomValue(Random random, double[] specials, boolean diverged) {
        if (diverged && random.nextBoolean()) {
            return random.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return random.nextBoolean() ? specials[random.nextInt(specials.length)] : Math.abs(random.nextGaussian() * 100);
    }

    /** The documented field order written with Jackson's streaming generator, for comparison. */
    private static byte[] generatorJson(ErrorRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = GENERATOR_FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            writeKey(json, record.experiment(), record.run(), record.learner(), record.task(), record.index(), record.step());
            writeNumberOrNull(json, "error", record.error());
            if (record.isClassification()) {
                if (record.examples() == 1) {
                    json.writeBooleanField("correct", record.accuracy() == 1.0);
                }
                writeNumberOrNull(json, "accuracy", record.accuracy());
            }
            json.writeNumberField("examples", record.examples());
            json.writeBooleanField("diverged", record.diverged());
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static byte[] generatorJson(NormRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = GENERATOR_FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            writeKey(json, record.experiment(), record.run(), record.learner(), record.task(), record.index(), record.step());
            writeNumberOrNull(json, "u_change", record.uChange());
            writeNumberOrNull(json, "w_change", record.wChange());
            writeNumberOrNull(json, "u_change_sq", record.uChangeSquared());
            writeNumberOrNull(json, "w_change_sq", record.wChangeSquared());
            json.writeNumberField("examples", record.examples());
            json.writeBooleanField("diverged", record.diverged());
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void writeKey(JsonGenerator json, String experiment, String run, String learner, String task,
            long index, long step) throws IOException {
        json.writeStringField("experiment", experiment);
        json.writeStringField("run", run);
        json.writeStringField("learner", learner);
        json.writeStringField("task", task);
        json.writeNumberField("index", index);
        json.writeNumberField("step", step);
    }

    private static void writeNumberOrNull(JsonGenerator json, String field, double value) throws IOException {
        if (Double.isFinite(value)) {
            json.writeNumberField(field, value);
        } else {
            json.writeNullField(field);
        }
    }

    @Test
    void correctWithoutAccuracyIsRead() {
        byte[] json =
                utf8("{\"experiment\":\"m/l\",\"run\":\"m\",\"learner\":\"l\",\"task\":\"A\","
                        + "\"index\":0,\"step\":1,\"error\":0.2,\"correct\":true,\"examples\":1,"
                        + "\"diverged\":false,\"future_field\":[1,2]}");

        ErrorRecord record = RecordJson.parseError(json);

        assertThat(record.accuracy()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock = """
            bare NaN            | "error":NaN,"examples":1,"diverged":false              | not strict JSON
            missing diverged    | "error":0.5,"examples":1                               | required field 'diverged' is missing
            string as error     | "error":"0.5","examples":1,"diverged":false            | field 'error' is "0.5"; expected a number or null
            fraction as examples| "error":0.5,"examples":1.5,"diverged":false            | field 'examples' is 1.5
            null error          | "error":null,"examples":1,"diverged":false             | error is NaN
            duplicate field     | "error":0.5,"error":0.6,"examples":1,"diverged":false  | Duplicate field 'error'
            correct disagrees   | "error":0.5,"correct":true,"accuracy":0.0,"examples":1,"diverged":false | must agree
            """)
    void parseErrorRejects(String name, String tail, String message) {
        byte[] json =
                utf8("{\"experiment\":\"r/l\",\"run\":\"r\",\"learner\":\"l\",\"task\":\"A\","
                        + "\"index\":0,\"step\":1," + tail + "}");

        assertThatThrownBy(() -> RecordJson.parseError(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parseRejectsNonObjects() {
        assertThatThrownBy(() -> RecordJson.parseError(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> RecordJson.parseNorm(utf8("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected one JSON object");
        assertThatThrownBy(() -> RecordJson.parseNorm(utf8("{} {}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not strict JSON");
    }
}
