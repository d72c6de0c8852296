package dev.crossprop.sources.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleBinary;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

class RecordTextTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decodeBase64(String rendering) {
        assertThat(rendering).startsWith(RecordText.BASE64_PREFIX);
        return Base64.getDecoder().decode(rendering.substring(RecordText.BASE64_PREFIX.length()));
    }

    @Test
    void nullAndEmptyRenderEmpty() {
        assertThat(RecordText.value(null)).isEmpty();
        assertThat(RecordText.value(new byte[0])).isEmpty();
        assertThat(RecordText.key(null)).isEmpty();
    }

    @Test
    void utf8TextRendersAsIs() {
        String json = "{\"experiment\":\"geoff-seed-1/crossprop\",\"index\":3,\"error\":0.25}";

        assertThat(RecordText.value(utf8(json))).isEqualTo(json);
        assertThat(RecordText.value(utf8("Größe\tµ"))).isEqualTo("Größe\tµ");
    }

    @Test
    void binaryExampleRendersAsItsJsonEncoding() {
        Example regression =
                Example.regression(
                        "run-1", 7, "B", new double[] {0.1, -2.5e-300}, new double[] {3});
        Example classification =
                Example.classification("mnist-seed-2", 0, "A", new double[] {0, 1}, 9);

        for (Example example : new Example[] {regression, classification}) {
            byte[] json = ExampleCodec.encode(example, WireFormat.JSON);
            String expected = new String(json, StandardCharsets.UTF_8);
            assertThat(RecordText.value(ExampleCodec.encode(example, WireFormat.BINARY)))
                    .isEqualTo(expected);
        }
    }

    @Test
    void binaryExampleWithNanRendersAsBase64() {
        Example example =
                Example.regression("run-1", 0, "A", new double[] {Double.NaN}, new double[] {1});
        byte[] binary = ExampleBinary.encode(example);

        assertThat(decodeBase64(RecordText.value(binary))).isEqualTo(binary);
    }

    @Test
    void textStartingWithFormatByteRendersAsText() {
        // "Ł" is 0xC5 0x81 in UTF-8: the binary format byte, then no valid binary record.
        assertThat(utf8("Łódź")[0]).isEqualTo(ExampleBinary.FORMAT_BYTE);

        assertThat(RecordText.value(utf8("Łódź"))).isEqualTo("Łódź");
    }

    @Test
    void invalidUtf8RendersAsBase64() {
        byte[] bytes = {(byte) 0xC5, 2, 0, (byte) 0xFF};

        assertThat(RecordText.value(bytes)).isEqualTo("base64:xQIA/w==");
        assertThat(decodeBase64(RecordText.value(bytes))).isEqualTo(bytes);
    }

    @Test
    void lineBreakOrBase64PrefixRendersAsBase64() {
        for (String text : new String[] {"two\nlines", "carriage\rreturn", "base64:AAAA"}) {
            assertThat(decodeBase64(RecordText.value(utf8(text)))).isEqualTo(utf8(text));
        }
    }

    @Test
    void keyWithTabRendersAsBase64() {
        assertThat(RecordText.key(utf8("geoff-seed-1"))).isEqualTo("geoff-seed-1");
        assertThat(decodeBase64(RecordText.key(utf8("a\tb")))).isEqualTo(utf8("a\tb"));
    }
}
