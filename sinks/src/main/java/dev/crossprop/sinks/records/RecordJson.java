package dev.crossprop.sinks.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON encoding of {@link ErrorRecord} and {@link NormRecord}: one UTF-8 JSON object per Kafka
 * record value, with snake_case field names in a fixed order.
 *
 * <p>The output is strict JSON (RFC 8259): a non-finite double is written as {@code null}, never as
 * a bare {@code NaN} or {@code Infinity} token, so any JSON parser reads it. An error record carries
 * {@code accuracy} only for classification (accuracy not NaN), and {@code correct} only for a
 * classification record that covers one example. Doubles are written in the shortest form that
 * parses back to the same value.
 *
 * <p>The parsers are strict as well: they reject non-numeric number tokens, duplicate fields,
 * trailing content, missing required fields and values of the wrong type, with an {@link
 * IllegalArgumentException} naming the field and the value. Unknown fields are ignored, so that
 * later versions can add fields. Thread-safe.
 */
public final class RecordJson {

    /**
     * The parser's factory. The encoders build the text themselves, about twice as fast as
     * Jackson's generator, which matters at two records per learner step.
     */
    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();

    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

    /** Experiments whose escaped record opening is kept; beyond this the cache starts over. */
    private static final int MAX_PREFIXES = 100_000;

    private static final Map<String, KeyPrefix> PREFIXES = new ConcurrentHashMap<>();

    private static final ObjectMapper MAPPER =
            JsonMapper.builder(FACTORY)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private RecordJson() {}

    /** Encodes an error record as a UTF-8 JSON object. */
    public static byte[] toJson(ErrorRecord record) {
        StringBuilder json = new StringBuilder(224);
        appendKey(json, record.experiment(), record.run(), record.learner(), record.task());
        json.append(",\"index\":").append(record.index());
        json.append(",\"step\":").append(record.step());
        appendDouble(json, ",\"error\":", record.error());
        if (record.isClassification()) {
            if (record.examples() == 1) {
                json.append(",\"correct\":").append(record.accuracy() == 1.0);
            }
            appendDouble(json, ",\"accuracy\":", record.accuracy());
        }
        json.append(",\"examples\":").append(record.examples());
        json.append(",\"diverged\":").append(record.diverged()).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes a weight-norm record as a UTF-8 JSON object. */
    public static byte[] toJson(NormRecord record) {
        StringBuilder json = new StringBuilder(320);
        appendKey(json, record.experiment(), record.run(), record.learner(), record.task());
        json.append(",\"index\":").append(record.index());
        json.append(",\"step\":").append(record.step());
        appendDouble(json, ",\"u_change\":", record.uChange());
        appendDouble(json, ",\"w_change\":", record.wChange());
        appendDouble(json, ",\"u_change_sq\":", record.uChangeSquared());
        appendDouble(json, ",\"w_change_sq\":", record.wChangeSquared());
        json.append(",\"examples\":").append(record.examples());
        json.append(",\"diverged\":").append(record.diverged()).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes an error record. {@code error} may be null (read as NaN, allowed only on a diverged
     * record). A missing or null {@code accuracy} means regression, unless {@code correct} is present,
     * which then gives accuracy 1.0 or 0.0.
     *
     * @throws IllegalArgumentException if the bytes are not one strict JSON object, a required field
     *     is missing or has the wrong type, or the values break a rule of {@link ErrorRecord}
     */
    public static ErrorRecord parseError(byte[] json) {
        JsonNode node = readObject(json);
        double accuracy = optionalDouble(node, "accuracy");
        JsonNode correct = node.get("correct");
        if (correct != null && !correct.isNull()) {
            if (!correct.isBoolean()) {
                throw wrongType("correct", correct, "true or false");
            }
            double fromCorrect = correct.booleanValue() ? 1.0 : 0.0;
            if (Double.isNaN(accuracy)) {
                accuracy = fromCorrect;
            } else if (accuracy != fromCorrect) {
                throw new IllegalArgumentException(
                        "field 'correct' is " + correct + " but 'accuracy' is " + accuracy
                                + "; they must agree (accuracy 1.0 when correct, 0.0 when not)");
            }
        }
        return new ErrorRecord(
                requiredString(node, "experiment"),
                requiredString(node, "run"),
                requiredString(node, "learner"),
                requiredString(node, "task"),
                requiredLong(node, "index"),
                requiredLong(node, "step"),
                requiredDouble(node, "error"),
                accuracy,
                requiredInt(node, "examples"),
                requiredBoolean(node, "diverged"));
    }

    /**
     * Decodes a weight-norm record. The {@code _sq} fields are optional and not read back, because
     * the record derives them.
     *
     * @throws IllegalArgumentException if the bytes are not one strict JSON object, a required field
     *     is missing or has the wrong type, or the values break a rule of {@link NormRecord}
     */
    public static NormRecord parseNorm(byte[] json) {
        JsonNode node = readObject(json);
        return new NormRecord(
                requiredString(node, "experiment"),
                requiredString(node, "run"),
                requiredString(node, "learner"),
                requiredString(node, "task"),
                requiredLong(node, "index"),
                requiredLong(node, "step"),
                requiredDouble(node, "u_change"),
                requiredDouble(node, "w_change"),
                requiredInt(node, "examples"),
                requiredBoolean(node, "diverged"));
    }

    /**
     * Appends the opening brace and the four string fields, escaped as RFC 8259 requires. Other
     * characters go out as UTF-8, and an unpaired surrogate becomes '?'. The experiment, run and learner repeat
     * on every record of an experiment, so their escaped form is kept per experiment.
     */
    private static void appendKey(StringBuilder json, String experiment, String run, String learner, String task) {
        KeyPrefix prefix = PREFIXES.get(experiment);
        if (prefix == null || !prefix.run.equals(run) || !prefix.learner.equals(learner)) {
            prefix = new KeyPrefix(experiment, run, learner);
            if (PREFIXES.size() >= MAX_PREFIXES) {
                // A live feed with ever new runs: start over rather than grow without bound.
                PREFIXES.clear();
            }
            PREFIXES.put(experiment, prefix);
        }
        json.append(prefix.text).append(",\"task\":\"");
        appendEscaped(json, task);
        json.append('"');
    }

    /** Appends {@code text} escaped for a JSON string, without a copy when nothing needs escaping. */
    private static void appendEscaped(StringBuilder json, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                json.append(ESCAPER.quoteAsString(text));
                return;
            }
        }
        json.append(text);
    }

    /** Appends a field with the shortest decimal that parses back to {@code value}, or null. */
    private static void appendDouble(StringBuilder json, String field, double value) {
        json.append(field);
        if (Double.isFinite(value)) {
            json.append(NumberOutput.toString(value, true));
        } else {
            json.append("null");
        }
    }

    /** The escaped opening of the records of one experiment, up to and without the task field. */
    private static final class KeyPrefix {
        final String run;
        final String learner;
        final String text;

        KeyPrefix(String experiment, String run, String learner) {
            this.run = run;
            this.learner = learner;
            this.text = "{\"experiment\":\"" + new String(ESCAPER.quoteAsString(experiment))
                    + "\",\"run\":\"" + new String(ESCAPER.quoteAsString(run))
                    + "\",\"learner\":\"" + new String(ESCAPER.quoteAsString(learner)) + '"';
        }
    }

    private static JsonNode readObject(byte[] json) {
        if (json == null || json.length == 0) {
            throw new IllegalArgumentException("record value is empty; expected one JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "record value is not strict JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    "record value is a JSON " + (node == null ? "nothing" : node.getNodeType())
                            + "; expected one JSON object");
        }
        return node;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("required field '" + field + "' is missing");
        }
        return value;
    }

    private static String requiredString(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw wrongType(field, value, "a string");
        }
        return value.textValue();
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, value, "an integer");
        }
        return value.longValue();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(field, value, "an integer in [1, " + Integer.MAX_VALUE + "]");
        }
        return value.intValue();
    }

    private static boolean requiredBoolean(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isBoolean()) {
            throw wrongType(field, value, "true or false");
        }
        return value.booleanValue();
    }

    /** Reads a required number that may be null; null becomes NaN. */
    private static double requiredDouble(JsonNode node, String field) {
        return toDouble(field, required(node, field));
    }

    /** Reads an optional number; a missing field or null becomes NaN. */
    private static double optionalDouble(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null ? Double.NaN : toDouble(field, value);
    }

    private static double toDouble(String field, JsonNode value) {
        if (value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw wrongType(field, value, "a number or null");
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
            throw new IllegalArgumentException(
                    "field '" + field + "' is " + value + ", which overflows a double; write null"
                            + " for a non-finite value");
        }
        return number;
    }

    private static IllegalArgumentException wrongType(String field, JsonNode value, String expected) {
        String text = value.toString();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return new IllegalArgumentException(
                "field '" + field + "' is " + text + "; expected " + expected);
    }

    /** Returns the JSON text of an encoded record, for logs and tests. */
    static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
