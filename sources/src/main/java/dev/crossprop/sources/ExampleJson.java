package dev.crossprop.sources;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The JSON wire format: one object per record, {@code
 * {"run":"r1","index":0,"task":"A","x":[...],"y":[...]}} for regression or with {@code "label":3}
 * in place of {@code "y"} for classification.
 *
 * <p>Parsing is strict: bare {@code NaN} and {@code Infinity} tokens, duplicate fields, trailing
 * tokens, wrong field types, and a record with both or neither of {@code y} and {@code label} are
 * rejected with an {@link InvalidExampleException}. Unknown fields are skipped, so producers may
 * add fields. Numbers are read with {@link Double#parseDouble} semantics and written in a form that
 * parses back to the same double, so values round-trip bit for bit.
 *
 * <p>The class is thread-safe: Jackson's {@link JsonFactory} is shared and each call uses its own
 * parser or generator.
 */
public final class ExampleJson {

    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    // Shortest round-tripping decimal form (Schubfach) instead of Double.toString.
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();

    private ExampleJson() {}

    /**
     * Encodes an example as one line of JSON without a line break.
     *
     * @throws IllegalArgumentException if an input or target is NaN or infinite, because JSON has
     *     no token for them; validate examples before encoding
     */
    public static String toJson(Example example) {
        StringWriter out = new StringWriter(64 + 24 * example.x().length);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(example, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed", e);
        }
        return out.toString();
    }

    /** Encodes an example as UTF-8 JSON; see {@link #toJson(Example)}. */
    public static byte[] toUtf8(Example example) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 24 * example.x().length);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(example, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void write(Example example, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("run", example.run());
        generator.writeNumberField("index", example.index());
        generator.writeStringField("task", example.task());
        writeArray(generator, "x", example.x(), example);
        if (example.isClassification()) {
            generator.writeNumberField("label", example.label());
        } else {
            writeArray(generator, "y", example.y(), example);
        }
        generator.writeEndObject();
    }

    private static void writeArray(
            JsonGenerator generator, String field, double[] values, Example example)
            throws IOException {
        generator.writeFieldName(field);
        generator.writeStartArray(values, values.length);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "Cannot write "
                                + example
                                + " as JSON: "
                                + field
                                + "["
                                + i
                                + "] is "
                                + values[i]
                                + " and JSON has no token for it; use the binary format or"
                                + " drop the example.");
            }
            generator.writeNumber(values[i]);
        }
        generator.writeEndArray();
    }

    /**
     * Parses one JSON record.
     *
     * @throws InvalidExampleException if the text is empty, larger than {@link
     *     ExampleCodec#MAX_RECORD_BYTES} characters, not JSON, or not an example
     */
    public static Example parse(String line) throws InvalidExampleException {
        if (line == null || line.isBlank()) {
            throw new InvalidExampleException(
                    InvalidReason.EMPTY, "Record is empty; expected one JSON object per record.");
        }
        // A char is at least one UTF-8 byte, so this rejects every text whose UTF-8 form is
        // too large by char count alone, and a few more near the bound only by byte count.
        if (line.length() > ExampleCodec.MAX_RECORD_BYTES) {
            throw ExampleCodec.tooLarge(line.length(), "characters");
        }
        try (JsonParser parser = FACTORY.createParser(line)) {
            return read(parser);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * Parses one UTF-8 JSON record.
     *
     * @throws InvalidExampleException if the bytes are empty, larger than {@link
     *     ExampleCodec#MAX_RECORD_BYTES}, not JSON, or not an example
     */
    public static Example parse(byte[] utf8) throws InvalidExampleException {
        if (utf8 == null || utf8.length == 0) {
            throw new InvalidExampleException(
                    InvalidReason.EMPTY, "Record is empty; expected one JSON object per record.");
        }
        if (utf8.length > ExampleCodec.MAX_RECORD_BYTES) {
            throw ExampleCodec.tooLarge(utf8.length, "bytes");
        }
        if (isBlank(utf8)) {
            throw new InvalidExampleException(
                    InvalidReason.EMPTY,
                    "Record contains only whitespace; expected one JSON object per record.");
        }
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            return read(parser);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static boolean isBlank(byte[] utf8) {
        for (byte b : utf8) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static InvalidExampleException notJson(IOException e) {
        String detail = e instanceof JsonParseException p ? p.getOriginalMessage() : e.getMessage();
        // Jackson suggests parser features that a producer cannot switch on; the advice below fits.
        detail = detail.replaceFirst(": enable `?[A-Za-z_.]+`? to allow.*$", "");
        return new InvalidExampleException(
                InvalidReason.NOT_JSON,
                "Record is not valid JSON: "
                        + detail
                        + ". Send one JSON object per record, with finite numbers only"
                        + " (NaN and Infinity are not JSON).",
                e);
    }

    private static Example read(JsonParser parser) throws IOException, InvalidExampleException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidExampleException(
                    InvalidReason.NOT_JSON,
                    "Record is JSON but not an object (it is "
                            + describe(parser)
                            + "); send {\"run\": ..., \"index\": ..., \"task\": ..., \"x\": [...],"
                            + " \"y\": [...]} or \"label\" in place of \"y\".");
        }
        String run = null;
        Long index = null;
        String task = null;
        double[] x = null;
        double[] y = null;
        Integer label = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "run" -> run = readString(parser, field);
                case "index" -> index = readLong(parser, field);
                case "task" -> task = readString(parser, field);
                case "x" -> x = readDoubles(parser, field);
                case "y" -> y = readDoubles(parser, field);
                case "label" -> label = readInt(parser, field);
                default -> {
                    // Unknown fields are allowed so that producers can add metadata.
                    if (value.isStructStart()) {
                        parser.skipChildren();
                    }
                }
            }
        }
        if (parser.nextToken() != null) {
            throw new InvalidExampleException(
                    InvalidReason.TRAILING_DATA,
                    "Record has more JSON after the example object ("
                            + describe(parser)
                            + "); send exactly one object per record.");
        }
        return build(run, index, task, x, y, label);
    }

    private static Example build(
            String run, Long index, String task, double[] x, double[] y, Integer label)
            throws InvalidExampleException {
        if (run == null || run.isEmpty()) {
            throw missing("run", "the run id, e.g. \"geoff-seed-7\"");
        }
        if (index == null) {
            throw missing("index", "the position in the run (0, 1, 2 and so on)");
        }
        if (task == null) {
            throw missing("task", "the task name, e.g. \"A\"");
        }
        if (x == null) {
            throw missing("x", "the array of inputs");
        }
        if (y != null && label != null) {
            throw new InvalidExampleException(
                    InvalidReason.CONFLICTING_FIELDS,
                    "Example "
                            + run
                            + "#"
                            + index
                            + " has both \"y\" and \"label\"; send \"y\" for regression or"
                            + " \"label\" for classification, not both.");
        }
        if (y == null && label == null) {
            throw missing("y\" or \"label", "the regression targets or the class label");
        }
        return y != null
                ? Example.regression(run, index, task, x, y)
                : Example.classification(run, index, task, x, label);
    }

    private static InvalidExampleException missing(String field, String meaning) {
        return new InvalidExampleException(
                InvalidReason.MISSING_FIELD,
                "Example is missing the field \"" + field + "\"; add " + meaning + ".");
    }

    private static InvalidExampleException wrongType(String field, JsonParser parser, String want)
            throws IOException {
        return new InvalidExampleException(
                InvalidReason.WRONG_TYPE,
                "Field \""
                        + field
                        + "\" is "
                        + describe(parser)
                        + " but must be "
                        + want
                        + ".");
    }

    /** Describes the parser's current token in plain words, with its text for a scalar. */
    private static String describe(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string \"" + parser.getText() + "\"";
            case VALUE_NUMBER_INT -> "the integer " + parser.getText();
            case VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getText();
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String readString(JsonParser parser, String field)
            throws IOException, InvalidExampleException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType(field, parser, "a string");
        }
        return parser.getText();
    }

    private static long readLong(JsonParser parser, String field)
            throws IOException, InvalidExampleException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(field, parser, "an integer");
        }
        try {
            return parser.getLongValue();
        } catch (InputCoercionException e) {
            throw new InvalidExampleException(
                    InvalidReason.WRONG_TYPE,
                    "Field \""
                            + field
                            + "\" is "
                            + parser.getText()
                            + ", outside the range of a"
                            + " 64-bit integer.",
                    e);
        }
    }

    private static int readInt(JsonParser parser, String field)
            throws IOException, InvalidExampleException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(field, parser, "an integer");
        }
        try {
            return parser.getIntValue();
        } catch (InputCoercionException e) {
            throw new InvalidExampleException(
                    InvalidReason.LABEL_OUT_OF_RANGE,
                    "Field \""
                            + field
                            + "\" is "
                            + parser.getText()
                            + ", outside the range of a"
                            + " 32-bit integer; labels are 0, 1, ..., classes - 1.",
                    e);
        }
    }

    private static double[] readDoubles(JsonParser parser, String field)
            throws IOException, InvalidExampleException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType(field, parser, "an array of numbers");
        }
        double[] values = new double[32];
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                throw new InvalidExampleException(
                        InvalidReason.WRONG_TYPE,
                        "Field \""
                                + field
                                + "\" element "
                                + count
                                + " is "
                                + describe(parser)
                                + " but must be a number.");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, 2 * count);
            }
            values[count++] = parser.getDoubleValue();
        }
        return count == values.length ? values : Arrays.copyOf(values, count);
    }
}
