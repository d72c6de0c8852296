package dev.crossprop.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

class ExampleCodecTest {

    private static final Example REGRESSION =
            Example.regression(
                    "geoff-seed-3", 41, "B", new double[] {1, 0, 1}, new double[] {-1.75});
    private static final Example CLASSIFICATION =
            Example.classification("mnist-seed-0", 2, "A", new double[] {0, 0.5, 1}, 8);

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void decodesWhatItEncodes(WireFormat format) throws Exception {
        assertThat(ExampleCodec.decode(ExampleCodec.encode(REGRESSION, format)))
                .isEqualTo(REGRESSION);
        assertThat(ExampleCodec.decode(ExampleCodec.encode(CLASSIFICATION, format)))
                .isEqualTo(CLASSIFICATION);
    }

    @Test
    void firstByteSelectsFormat() {
        assertThat(ExampleCodec.encode(REGRESSION, WireFormat.BINARY)[0])
                .isEqualTo(ExampleBinary.FORMAT_BYTE);
        assertThat(ExampleCodec.encode(REGRESSION, WireFormat.JSON)[0]).isEqualTo((byte) '{');
    }

    @Test
    void jsonWithLeadingWhitespaceDecodes() throws Exception {
        byte[] json = ("  \n" + ExampleJson.toJson(REGRESSION)).getBytes(StandardCharsets.UTF_8);

        assertThat(ExampleCodec.decode(json)).isEqualTo(REGRESSION);
    }

    @Test
    void emptyAndGarbageAreRejected() {
        assertThatThrownBy(() -> ExampleCodec.decode(new byte[0]))
                .extracting(e -> ((InvalidExampleException) e).reason())
                .isEqualTo(InvalidReason.EMPTY);
        assertThatThrownBy(() -> ExampleCodec.decode(new byte[] {0, 1, 2}))
                .extracting(e -> ((InvalidExampleException) e).reason())
                .isEqualTo(InvalidReason.NOT_JSON);
        assertThatThrownBy(() -> ExampleCodec.decode(new byte[ExampleCodec.MAX_RECORD_BYTES + 1]))
                .extracting(e -> ((InvalidExampleException) e).reason())
                .isEqualTo(InvalidReason.TOO_LARGE);
    }
}
