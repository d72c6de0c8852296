package dev.crossprop.sinks.report;

import static dev.crossprop.sinks.report.ResultsFixture.BACKPROP;
import static dev.crossprop.sinks.report.ResultsFixture.CROSSPROP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crossprop.sinks.records.RecordCsv;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the report command end to end on the hand-made folder of {@link ResultsFixture}. */
class ReportCommandTest {

    private static final double TOLERANCE = 1e-12;
    private static final List<String> FIGURES =
            List.of("figure-1-error.png", "figure-2-u-change.png", "figure-3-w-change.png");

    @TempDir Path temp;

    /** Exit code and captured output of one command run. */
    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ReportCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int exitCode = command.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    /** Reads summary.csv into rows keyed by "learner/stage", each a map from column to cell. */
    private static Map<String, Map<String, String>> readSummary(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        assertThat(List.of(header)).isEqualTo(SummaryWriter.CSV_COLUMNS);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertThat(cells).hasSize(header.length);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(row.get("learner") + "/" + row.get("stage"), row);
        }
        return rows;
    }

    private static double value(Map<String, Map<String, String>> rows, String key, String column) {
        return Double.parseDouble(rows.get(key).get(column));
    }

    @Test
    void tableMatchesHandArithmetic() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        Map<String, Map<String, String>> rows = readSummary(results.resolve("report/summary.csv"));
        assertThat(rows).hasSize(6);

        // Stages have 10 examples, so the last 10% is one example: indexes 9, 19 and 29.
        // crossprop-eta0, error = g + h * i: r1 (g 0, h 1), r2 (g 4, h 2).
        // Stage 1: r1 9, r2 4 + 18 = 22; mean 15.5; standard error with two runs is
        // |a - b| / 2 (sample sd |a - b| / sqrt 2, over sqrt 2) = 6.5.
        String cp1 = CROSSPROP + "/1";
        assertThat(value(rows, cp1, "error_mean")).isCloseTo(15.5, within(TOLERANCE));
        assertThat(value(rows, cp1, "error_se")).isCloseTo(6.5, within(TOLERANCE));
        assertThat(rows.get(cp1).get("runs")).isEqualTo("2");
        assertThat(rows.get(cp1).get("task")).isEqualTo("A");
        assertThat(rows.get(cp1).get("tail_first_index")).isEqualTo("9");
        // u = h * (i + 1) / 10 at index 9: r1 1.0, r2 2.0, mean 1.5; during = end - 0.
        assertThat(value(rows, cp1, "u_change_end")).isCloseTo(1.5, within(TOLERANCE));
        assertThat(value(rows, cp1, "u_change_during")).isCloseTo(1.5, within(TOLERANCE));
        // w = 2 * h * (i + 1)^2 / 100 at index 9: r1 2, r2 4, mean 3.
        assertThat(value(rows, cp1, "w_change_end")).isCloseTo(3.0, within(TOLERANCE));
        assertThat(value(rows, cp1, "w_change_during")).isCloseTo(3.0, within(TOLERANCE));
        assertThat(rows.get(cp1).get("first_visit_stage")).isEmpty();
        assertThat(rows.get(cp1).get("accuracy_mean")).isEmpty();

        // Stage 2 (B): error r1 19, r2 4 + 38 = 42; mean 30.5, se 23 / 2 = 11.5.
        String cp2 = CROSSPROP + "/2";
        assertThat(value(rows, cp2, "error_mean")).isCloseTo(30.5, within(TOLERANCE));
        assertThat(value(rows, cp2, "error_se")).isCloseTo(11.5, within(TOLERANCE));
        // u at index 19: r1 2, r2 4, mean 3; during: r1 2 - 1, r2 4 - 2, mean 1.5.
        assertThat(value(rows, cp2, "u_change_end")).isCloseTo(3.0, within(TOLERANCE));
        assertThat(value(rows, cp2, "u_change_during")).isCloseTo(1.5, within(TOLERANCE));
        // w at index 19: r1 2 * 400 / 100 = 8, r2 16, mean 12; during: r1 8 - 2, r2 16 - 4, mean 9.
        assertThat(value(rows, cp2, "w_change_end")).isCloseTo(12.0, within(TOLERANCE));
        assertThat(value(rows, cp2, "w_change_during")).isCloseTo(9.0, within(TOLERANCE));

        // Stage 3 revisits A: error r1 29, r2 4 + 58 = 62; mean 45.5, se 33 / 2 = 16.5.
        // Against stage 1, per run: r1 29 - 9 = 20, r2 62 - 22 = 40; mean 30, se 20 / 2 = 10.
        String cp3 = CROSSPROP + "/3";
        assertThat(value(rows, cp3, "error_mean")).isCloseTo(45.5, within(TOLERANCE));
        assertThat(value(rows, cp3, "error_se")).isCloseTo(16.5, within(TOLERANCE));
        assertThat(rows.get(cp3).get("first_visit_stage")).isEqualTo("1");
        assertThat(value(rows, cp3, "first_visit_error")).isCloseTo(15.5, within(TOLERANCE));
        assertThat(value(rows, cp3, "revisit_minus_first")).isCloseTo(30.0, within(TOLERANCE));
        assertThat(value(rows, cp3, "revisit_minus_first_se")).isCloseTo(10.0, within(TOLERANCE));
        assertThat(rows.get(cp3).get("revisit_runs")).isEqualTo("2");
        // w at index 29: r1 2 * 900 / 100 = 18, r2 36, mean 27; during: r1 18 - 8, r2 36 - 16,
        // mean 15.
        assertThat(value(rows, cp3, "w_change_end")).isCloseTo(27.0, within(TOLERANCE));
        assertThat(value(rows, cp3, "w_change_during")).isCloseTo(15.0, within(TOLERANCE));

        // backprop-sgd, error = 2 * (g + h * i). Stage 1: r1 18, r2 44; mean 31, se 13.
        // u = 3 * h * (i + 1) / 10: r1 3, r2 6, mean 4.5. w = h * (i + 1)^2 / 100: 1 and 2, 1.5.
        String bp1 = BACKPROP + "/1";
        assertThat(value(rows, bp1, "error_mean")).isCloseTo(31.0, within(TOLERANCE));
        assertThat(value(rows, bp1, "error_se")).isCloseTo(13.0, within(TOLERANCE));
        assertThat(value(rows, bp1, "u_change_end")).isCloseTo(4.5, within(TOLERANCE));
        assertThat(value(rows, bp1, "w_change_end")).isCloseTo(1.5, within(TOLERANCE));
        assertThat(rows.get(bp1).get("kind")).isEqualTo("backprop");
        // Stage 3: r1 58, r2 124; mean 91. Against stage 1: r1 40, r2 80; mean 60, se 20.
        // u at index 29: r1 9, r2 18, mean 13.5; during: r1 9 - 6, r2 18 - 12, mean 4.5.
        String bp3 = BACKPROP + "/3";
        assertThat(value(rows, bp3, "error_mean")).isCloseTo(91.0, within(TOLERANCE));
        assertThat(value(rows, bp3, "revisit_minus_first")).isCloseTo(60.0, within(TOLERANCE));
        assertThat(value(rows, bp3, "revisit_minus_first_se")).isCloseTo(20.0, within(TOLERANCE));
        assertThat(value(rows, bp3, "u_change_end")).isCloseTo(13.5, within(TOLERANCE));
        assertThat(value(rows, bp3, "u_change_during")).isCloseTo(4.5, within(TOLERANCE));
    }

    @Test
    void figuresAreDrawn() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        Path out = temp.resolve("out");

        Outcome outcome = run(results.toString(), "--out", out.toString(), "--bin", "2");

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(out.resolve("figure-1-accuracy.png")).doesNotExist();
        for (String name : FIGURES) {
            BufferedImage image = ImageIO.read(out.resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).as(name).isEqualTo(FigureWriter.WIDTH);
            assertThat(image.getHeight()).as(name).isEqualTo(FigureWriter.HEIGHT);
            // Antialiased text and lines give many shades; a blank or one-colour image gives few.
            assertThat(distinctColours(image)).as(name).isGreaterThan(50);
            // The middle of the plot area contains curves, so some of its pixels are not white.
            assertThat(nonWhitePixels(image, 150, 120, 1050, 560)).as(name).isGreaterThan(1000);
            // crossprop-eta0 is drawn in the first warm colour, backprop-sgd in the first cool one.
            assertThat(hasColourNear(image, 0xD7301F)).as(name + " warm line").isTrue();
            assertThat(hasColourNear(image, 0x1F78B4)).as(name + " cool line").isTrue();
        }
    }

    @Test
    void indexReferencesEveryFigure() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        Path report = results.resolve("report");
        String html = Files.readString(report.resolve("index.html"));
        for (String name : FIGURES) {
            assertThat(html).contains("<img src=\"" + name + "\"");
        }
        assertThat(html).contains("<title>fixture-quick");
        assertThat(html).contains("<h1>fixture-quick</h1>");
        assertThat(html).contains("step_size_u = 0.0005");
        // The configuration is shown as text, so its markup must arrive escaped.
        assertThat(html).contains("&lt;b&gt;escaped&lt;/b&gt;");
        assertThat(html).doesNotContain("<b>escaped</b>");
        // The stage table lists the crossprop row of stage 3 with the hand-computed error 45.5 and
        // its standard error 16.5, rounded half up to two significant digits: 17.
        assertThat(html).contains("<td class=\"number\">45.5 ± 17</td>");
        String markdown = Files.readString(report.resolve("summary.md"));
        assertThat(markdown).contains("| crossprop-eta0 | crossprop | 3 | A | 20–29 | 2 | 45.5 ± 17 |");
        assertThat(markdown).contains("Revisited tasks");
        assertThat(outcome.out()).contains("Wrote " + report.resolve("index.html"));
    }

    @Test
    void noManifestInfersAndSaysSo() throws IOException {
        Path results = ResultsFixture.writeResults(temp.resolve("results"));

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        Map<String, Map<String, String>> rows =
                readSummary(results.resolve("report/summary.csv"));
        // The inferred stages are those of the manifest, so the numbers do not change.
        assertThat(value(rows, CROSSPROP + "/3", "error_mean")).isCloseTo(45.5, within(TOLERANCE));
        assertThat(rows.get(CROSSPROP + "/3").get("first_visit_stage")).isEqualTo("1");
        assertThat(rows.get(BACKPROP + "/2").get("last_index")).isEqualTo("19");
        assertThat(rows.get(BACKPROP + "/2").get("kind")).isEqualTo("backprop");
        String markdown = Files.readString(results.resolve("report/summary.md"));
        assertThat(markdown).contains("No manifest.json");
        assertThat(markdown).contains("inferred from changes of the task column");
        assertThat(markdown).contains("inferred from the label prefix");
        String html = Files.readString(results.resolve("report/index.html"));
        assertThat(html).contains("No manifest.json");
        assertThat(outcome.out()).contains("Note: No manifest.json");
    }

    @Test
    void missingFolderExitsTwo() {
        Path missing = temp.resolve("nowhere");

        Outcome outcome = run(missing.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains(missing.toString()).contains("not found");
    }

    @Test
    void missingNormsFolderExitsTwo() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        deleteTree(results.resolve("norms"));

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains(results.resolve("norms").toString()).contains("missing");
    }

    @Test
    void noCsvFilesExitsTwo() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        deleteTree(results.resolve("errors"));
        Files.createDirectories(results.resolve("errors/bucket"));
        Files.writeString(results.resolve("errors/bucket/.part-0.csv.inprogress"), "x");

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("contains no CSV files");
    }

    @Test
    void headerOnlyFilesExitTwo() throws IOException {
        Path results = ResultsFixture.writeResults(temp.resolve("results"));
        for (String run : List.of("r1", "r2")) {
            Files.writeString(results.resolve("errors/bucket-" + run + "/part-" + run + "-0.csv"),
                    RecordCsv.ERROR_HEADER + "\n");
        }

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("contain only header rows");
    }

    @Test
    void badHeaderNamesFileAndLine() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        Path file = results.resolve("norms/bucket-r2/part-r2-0.csv");
        List<String> lines = Files.readAllLines(file);
        lines.set(0, RecordCsv.ERROR_HEADER);
        Files.write(file, lines);

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains(file + " line 1: wrong header row");
    }

    @Test
    void malformedLineNamesFileAndLine() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        Path file = results.resolve("errors/bucket-r1/part-r1-0.csv");
        List<String> lines = Files.readAllLines(file);
        // Line 4 of the file is the third record; its error column becomes text.
        lines.set(3, lines.get(3).replace(",2.0,", ",two,"));
        Files.write(file, lines);

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err())
                .contains(file + " line 4: column 'error' has the value 'two'");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void invalidManifestExitsTwo() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        Files.writeString(results.resolve("manifest.json"), "{\"stages\": [{\"task\": \"A\"}]}");

        Outcome outcome = run(results.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err())
                .contains(results.resolve("manifest.json").toString())
                .contains("stages[0].first_index");
    }

    @Test
    void unwritableOutputExitsOne() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));
        Path blocker = Files.writeString(temp.resolve("a-file"), "not a folder");

        Outcome outcome = run(results.toString(), "--out", blocker.resolve("report").toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err()).contains("writing the report to " + blocker.resolve("report"));
    }

    @Test
    void binBelowOneIsUsageError() throws IOException {
        Path results = ResultsFixture.write(temp.resolve("results"));

        Outcome outcome = run(results.toString(), "--bin", "0");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("'--bin': 0 is below 1");
        assertThat(results.resolve("report")).doesNotExist();
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours.size();
    }

    private static int nonWhitePixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int count = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Returns whether some pixel is within 24 of {@code rgb} in every channel. */
    private static boolean hasColourNear(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int pixel = image.getRGB(x, y);
                boolean near = true;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int difference = ((pixel >> shift) & 0xFF) - ((rgb >> shift) & 0xFF);
                    near &= Math.abs(difference) <= 24;
                }
                if (near) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
