package dev.crossprop.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

class ResultsSummaryTest {

    /** Two stages of 15 examples, so each stage's tail is its last ceil(15 / 10) = 2 examples. */
    private static ExperimentConfig config(String kind) {
        String task = kind.equals("mnist")
                ? "{kind: mnist, count: 15, schedule: 'A,B'}"
                : "{kind: geoff, examples_per_task: 15, schedule: 'A,B'}";
        String yaml = "name: t\ntask: " + task + "\nlearners:\n  - {kind: backprop, step_size: 0.01}\n";
        return ExperimentConfigLoader.parse("test.yaml", new Yaml().load(yaml));
    }

    private static ErrorRecord error(String run, long index, double error, double accuracy, int examples) {
        return new ErrorRecord(run + "/backprop", run, "backprop", "A", index, index + 1, error, accuracy, examples, false);
    }

    private static void write(Path dir, String header, List<String> lines) throws Exception {
        Files.createDirectories(dir);
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(lines);
        Files.write(dir.resolve("part-0.csv"), all, StandardCharsets.UTF_8);
    }

    private static String print(ExperimentConfig config, Path results) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultsSummary.read(config, results).print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tailMeansWeighRecordsByExamples(@TempDir Path results) throws Exception {
        List<String> errors = new ArrayList<>();
        // Outside every tail: must not count.
        errors.add(RecordCsv.toCsv(error("r1", 5, 100.0, Double.NaN, 1)));
        // Stage 1 tail (indices 13 and 14): 1.0 for one example and 4.0 for three, mean 3.25.
        errors.add(RecordCsv.toCsv(error("r1", 13, 1.0, Double.NaN, 1)));
        errors.add(RecordCsv.toCsv(error("r2", 14, 4.0, Double.NaN, 3)));
        // Stage 2 tail (indices 28 and 29).
        errors.add(RecordCsv.toCsv(error("r1", 29, 0.5, Double.NaN, 1)));
        write(results.resolve("errors"), RecordCsv.ERROR_HEADER, errors);
        write(results.resolve("norms"), RecordCsv.NORM_HEADER, List.of(
                RecordCsv.toCsv(new NormRecord("r1/backprop", "r1", "backprop", "B", 29, 30, 2.0, 6.0, 1, false)),
                RecordCsv.toCsv(new NormRecord("r1/backprop", "r1", "backprop", "A", 10, 11, 9.0, 9.0, 1, false)),
                RecordCsv.toCsv(new NormRecord("r2/backprop", "r2", "backprop", "B", 29, 30, 4.0, 8.0, 1, false))));

        String text = print(config("geoff"), results);

        assertThat(text).contains("stage 1 A").contains("stage 2 B");
        assertThat(text.lines().filter(l -> l.startsWith("backprop")))
                .singleElement()
                .satisfies(line -> assertThat(line.trim().split("\\s+")).containsExactly("backprop", "3.250", "0.5000", "3.000", "7.000"));
        assertThat(text).doesNotContain("classified correctly");
    }

    @Test
    void classificationAddsTheFractionCorrect(@TempDir Path results) throws Exception {
        write(results.resolve("errors"), RecordCsv.ERROR_HEADER, List.of(
                RecordCsv.toCsv(error("r1", 13, 0.2, 1.0, 1)),
                RecordCsv.toCsv(error("r1", 14, 0.9, 0.0, 1)),
                RecordCsv.toCsv(error("r2", 14, 0.3, 0.75, 4))));

        String text = print(config("mnist"), results);

        List<String> rows = text.lines().filter(l -> l.startsWith("backprop")).toList();
        assertThat(text).contains("Fraction classified correctly over the last 10% of each stage");
        assertThat(rows).hasSize(2);
        // (1 + 0 + 0.75 * 4) / 6 = 0.6667; stage 2 has no records.
        assertThat(rows.get(1).trim().split("\\s+")).containsExactly("backprop", "0.6667", "-");
    }
}
