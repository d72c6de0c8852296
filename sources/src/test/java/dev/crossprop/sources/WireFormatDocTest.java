package dev.crossprop.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** Checks that the worked examples in docs/wire-format.md are what the encoders write. */
class WireFormatDocTest {

    private static final Example REGRESSION =
            Example.regression("geoff-seed-7", 2, "B", new double[] {1, 0, 1}, new double[] {2.25});
    private static final Example CLASSIFICATION =
            Example.classification("mnist-seed-0", 0, "A", new double[] {0, 0.5, 1}, 3);

    private static List<String> docLines() throws IOException {
        return Files.readAllLines(RepositoryFiles.resolve("docs/wire-format.md"));
    }

    /** Reads the hex pairs at the start of each line of the block after the marker comment. */
    private static byte[] documentedBinaryExample() throws IOException {
        List<String> lines = docLines();
        int line = lines.indexOf("<!-- binary-example -->") + 2;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (; !lines.get(line).startsWith("```"); line++) {
            for (String token : lines.get(line).trim().split(" +")) {
                if (!token.matches("[0-9a-f]{2}")) {
                    break;
                }
                bytes.write(Integer.parseInt(token, 16));
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void binaryHexDumpMatchesEncoder() throws Exception {
        byte[] documented = documentedBinaryExample();

        assertThat(documented).hasSize(68);
        assertThat(ExampleBinary.encode(REGRESSION)).isEqualTo(documented);
        assertThat(ExampleCodec.decode(documented)).isEqualTo(REGRESSION);
    }

    @Test
    void jsonExamplesMatchEncoder() throws Exception {
        List<String> lines = docLines();

        assertThat(lines)
                .contains(ExampleJson.toJson(REGRESSION), ExampleJson.toJson(CLASSIFICATION));
        assertThat(ExampleJson.parse(ExampleJson.toJson(REGRESSION))).isEqualTo(REGRESSION);
    }
}
