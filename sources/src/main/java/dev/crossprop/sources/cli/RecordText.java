package dev.crossprop.sources.cli;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleBinary;
import dev.crossprop.sources.ExampleJson;
import dev.crossprop.sources.InvalidExampleException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Renders the key or value of a Kafka record as one line of text for the {@code consume} command.
 *
 * <p>The rules, in order:
 *
 * <ul>
 *   <li>A missing (null) or empty array renders as the empty string.
 *   <li>A value that starts with {@link ExampleBinary#FORMAT_BYTE} and decodes as a binary example
 *       renders as that example's JSON, the text that {@link ExampleJson#toJson} writes.
 *   <li>Valid UTF-8 renders as that text, unless it contains a line break (or, in a key, a tab),
 *       which would break the line into the wrong fields, or starts with {@value #BASE64_PREFIX}.
 *   <li>Anything else renders as {@value #BASE64_PREFIX} followed by the standard base64 encoding
 *       of the bytes. That includes a binary example with a NaN or infinite number, which JSON
 *       cannot write. Such a record is never valid UTF-8, because its version byte 1 cannot
 *       follow 0xC5 in UTF-8.
 * </ul>
 *
 * <p>So every rendering is one line, and a rendering that starts with {@value #BASE64_PREFIX}
 * always carries base64, whose decoding gives the original bytes.
 */
final class RecordText {

    /** Prefix of a rendering in base64. */
    static final String BASE64_PREFIX = "base64:";

    private RecordText() {}

    /** Renders a record value, decoding binary examples to JSON. */
    static String value(byte[] bytes) {
        if (bytes != null && bytes.length > 0 && bytes[0] == ExampleBinary.FORMAT_BYTE) {
            String json = exampleJson(bytes);
            if (json != null) {
                return json;
            }
            // Not an example: a UTF-8 text may start with 0xC5 too, for example "Ł".
        }
        return text(bytes, false);
    }

    /**
     * Renders a record key like a value, without decoding examples, and in base64 also when it
     * contains a tab, which would make it look like two fields of the line.
     */
    static String key(byte[] bytes) {
        return text(bytes, true);
    }

    private static String text(byte[] bytes, boolean encodeTabs) {
        if (bytes == null || bytes.length == 0) {
            return "";
        }
        String text = strictUtf8(bytes);
        if (text == null
                || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0
                || (encodeTabs && text.indexOf('\t') >= 0)
                || text.startsWith(BASE64_PREFIX)) {
            return BASE64_PREFIX + Base64.getEncoder().encodeToString(bytes);
        }
        return text;
    }

    /** Returns the JSON of the binary example in {@code bytes}, or null when it is not one. */
    private static String exampleJson(byte[] bytes) {
        Example example;
        try {
            example = ExampleBinary.decode(bytes);
        } catch (InvalidExampleException e) {
            return null;
        }
        try {
            return ExampleJson.toJson(example);
        } catch (IllegalArgumentException e) {
            // A NaN or infinite number, which JSON has no token for.
            return null;
        }
    }

    /** Decodes UTF-8, or returns null when the bytes are not valid UTF-8. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
