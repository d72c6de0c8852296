package dev.crossprop.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

class ExampleBinaryTest {

    private static InvalidReason reasonOf(byte[] bytes) {
        try {
            ExampleBinary.decode(bytes);
        } catch (InvalidExampleException e) {
            return e.reason();
        }
        throw new AssertionError("decode accepted " + Arrays.toString(bytes));
    }

    @Test
    void layoutMatchesDataOutputStream() throws Exception {
        // An independent encoding of the documented layout with java.io.DataOutputStream.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(0xC5);
        out.writeByte(1);
        out.writeByte(0);
        out.writeShort(2);
        out.write(new byte[] {'r', '1'});
        out.writeLong(7);
        out.writeShort(1);
        out.write('A');
        out.writeInt(2);
        out.writeDouble(1.0);
        out.writeDouble(-0.5);
        out.writeInt(1);
        out.writeDouble(3.25);

        Example example =
                Example.regression("r1", 7, "A", new double[] {1.0, -0.5}, new double[] {3.25});

        assertThat(ExampleBinary.encode(example)).isEqualTo(expected.toByteArray());
    }

    @Test
    void classificationLayoutEndsWithLabel() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(0xC5);
        out.writeByte(1);
        out.writeByte(1);
        out.writeShort(1);
        out.write('m');
        out.writeLong(0);
        out.writeShort(0);
        out.writeInt(1);
        out.writeDouble(0.5);
        out.writeInt(9);

        Example example = Example.classification("m", 0, "", new double[] {0.5}, 9);

        assertThat(ExampleBinary.encode(example)).isEqualTo(expected.toByteArray());
    }

    @Test
    void roundTripKeepsEveryBit() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        double[] x = new double[784];
        for (int i = 0; i < x.length; i++) {
            x[i] = Double.longBitsToDouble(random.nextLong());
        }
        x[0] = Double.NaN;
        x[1] = Double.NEGATIVE_INFINITY;
        Example regression =
                Example.regression("run-ü-1", Long.MAX_VALUE, "Äufgabe", x, new double[] {-0.0, 2});
        Example classification = Example.classification("r", 3, "B", x, 4);

        assertThat(ExampleBinary.decode(ExampleBinary.encode(regression))).isEqualTo(regression);
        assertThat(ExampleBinary.decode(ExampleBinary.encode(classification)))
                .isEqualTo(classification);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] whole =
                ExampleBinary.encode(
                        Example.regression(
                                "r1", 7, "A", new double[] {1.0, -0.5}, new double[] {3.25}));

        for (int length = 1; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThat(reasonOf(cut))
                    .as("record cut to %d bytes", length)
                    .isEqualTo(InvalidReason.TRUNCATED);
        }
    }

    @Test
    void unknownVersionKindAndFormatByte() {
        byte[] valid =
                ExampleBinary.encode(Example.classification("r", 0, "A", new double[] {1}, 0));

        byte[] version = valid.clone();
        version[1] = 2;
        byte[] kind = valid.clone();
        kind[2] = 5;
        byte[] json = valid.clone();
        json[0] = '{';

        assertThat(reasonOf(version)).isEqualTo(InvalidReason.UNKNOWN_FORMAT_VERSION);
        assertThat(reasonOf(kind)).isEqualTo(InvalidReason.UNKNOWN_FORMAT_VERSION);
        assertThat(reasonOf(json)).isEqualTo(InvalidReason.UNKNOWN_FORMAT_VERSION);
        assertThatThrownBy(() -> ExampleBinary.decode(version)).hasMessageContaining("version 2");
    }

    @Test
    void emptyTooLargeAndTrailingBytes() {
        byte[] valid =
                ExampleBinary.encode(Example.classification("r", 0, "A", new double[] {1}, 0));
        byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        byte[] tooLarge = new byte[ExampleCodec.MAX_RECORD_BYTES + 1];
        tooLarge[0] = ExampleBinary.FORMAT_BYTE;

        assertThat(reasonOf(new byte[0])).isEqualTo(InvalidReason.EMPTY);
        assertThat(reasonOf(tooLarge)).isEqualTo(InvalidReason.TOO_LARGE);
        assertThat(reasonOf(trailing)).isEqualTo(InvalidReason.TRAILING_DATA);
    }

    @Test
    void corruptCountsAndStrings() {
        byte[] valid =
                ExampleBinary.encode(Example.classification("r", 0, "A", new double[] {1}, 0));
        // Layout: 3 header bytes, run "r" at 3..5, index 6..13, task "A" 14..16, m at 17..20.
        byte[] negativeCount = valid.clone();
        negativeCount[17] = (byte) 0xFF;
        byte[] hugeCount = valid.clone();
        hugeCount[17] = 0x7F;
        byte[] badUtf8 = valid.clone();
        badUtf8[5] = (byte) 0xFF;

        assertThat(reasonOf(negativeCount)).isEqualTo(InvalidReason.TRUNCATED);
        assertThat(reasonOf(hugeCount)).isEqualTo(InvalidReason.TRUNCATED);
        assertThat(reasonOf(badUtf8)).isEqualTo(InvalidReason.WRONG_TYPE);
        assertThatThrownBy(() -> ExampleBinary.decode(hugeCount)).hasMessageContaining("inputs");
    }

    @Test
    void overlongRunIdIsRejectedWhenEncoding() {
        String run = "r".repeat(70_000);

        assertThatThrownBy(
                        () ->
                                ExampleBinary.encode(
                                        Example.classification(run, 0, "A", new double[1], 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000")
                .hasMessageContaining("65535");
    }
}
