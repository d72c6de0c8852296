package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.crossprop.job.config.KafkaSpec;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;
import dev.crossprop.sinks.records.RecordJson;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The output of one job, read back from its CSV files or from its topics, and the checks that
 * compare two outputs: every (experiment, example index) once, with the same values.
 *
 * @param errors error records, in no particular order
 * @param norms weight-norm records, in no particular order
 * @param aggregates across-run aggregate records, in no particular order
 * @param deadLetters dead-letter records as JSON
 */
record JobOutput(List<ErrorRecord> errors, List<NormRecord> norms, List<Aggregate> aggregates, List<JsonNode> deadLetters) {

    /** Strict JSON: no NaN or Infinity tokens (Jackson's default), nothing after the value. */
    static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Relative tolerance of complete aggregate means, which sum the runs in arrival order. */
    private static final double AGGREGATE_TOLERANCE = 1e-12;

    /** Maximum time to read one topic to its end. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** One aggregate record, reduced to what the checks compare. */
    record Aggregate(String learner, long bin, int runs, boolean complete, double meanError) {

        String key() {
            return learner + "#" + bin + "#" + runs;
        }
    }

    /** Reads the visible part files of a results folder; in-progress files (hidden) are skipped. */
    static JobOutput readFiles(Path resultsDir) {
        List<ErrorRecord> errors = new ArrayList<>();
        forEachLine(resultsDir.resolve("errors"), ".csv", true, line -> errors.add(RecordCsv.parseError(line)));
        List<NormRecord> norms = new ArrayList<>();
        forEachLine(resultsDir.resolve("norms"), ".csv", true, line -> norms.add(RecordCsv.parseNorm(line)));
        List<Aggregate> aggregates = new ArrayList<>();
        forEachLine(resultsDir.resolve("aggregates"), ".csv", true, line -> aggregates.add(aggregateFromCsv(line)));
        List<JsonNode> deadLetters = new ArrayList<>();
        forEachLine(resultsDir.resolve("dead-letters"), ".jsonl", false, line -> deadLetters.add(strictJson(line.getBytes(StandardCharsets.UTF_8))));
        return new JobOutput(errors, norms, aggregates, deadLetters);
    }

    /**
     * Reads the four output topics with a read-committed consumer. Every record must be strict
     * JSON. A job that has ended has committed or aborted all its transactions, so each topic is
     * read to its end, without waiting for an expected count: duplicates show up as extra records.
     */
    static JobOutput readTopics(String bootstrapServers, KafkaSpec kafka) {
        List<ErrorRecord> errors = new ArrayList<>();
        for (byte[] value : readCommitted(bootstrapServers, kafka.errorsTopic())) {
            strictJson(value);
            errors.add(RecordJson.parseError(value));
        }
        List<NormRecord> norms = new ArrayList<>();
        for (byte[] value : readCommitted(bootstrapServers, kafka.normsTopic())) {
            strictJson(value);
            norms.add(RecordJson.parseNorm(value));
        }
        List<Aggregate> aggregates = new ArrayList<>();
        for (byte[] value : readCommitted(bootstrapServers, kafka.aggregatesTopic())) {
            aggregates.add(aggregateFromJson(strictJson(value)));
        }
        List<JsonNode> deadLetters = new ArrayList<>();
        for (byte[] value : readCommitted(bootstrapServers, kafka.deadLetterTopic())) {
            deadLetters.add(strictJson(value));
        }
        return new JobOutput(errors, norms, aggregates, deadLetters);
    }

    /**
     * Returns the values of every committed record of a topic, up to its last stable offset: the
     * end for a read-committed consumer, before the first transaction that is still open.
     */
    static List<byte[]> readCommitted(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Only records of committed transactions: what a downstream reader of the job must see.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!atEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Timed out after " + READ_TIMEOUT + " reading " + topic + " to offsets " + ends);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), READ_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Parses one output record with the strict parser; NaN or Infinity tokens fail here. */
    static JsonNode strictJson(byte[] value) {
        try {
            return STRICT_JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError("Output record is not strict JSON: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    /**
     * Asserts that this output contains each error and norm record of {@code expected} exactly once,
     * equal in every field (doubles compared as by {@link Double#compare}, so bit for bit apart
     * from NaN payloads), and each aggregate (learner, bin, run count) once, with complete means
     * equal up to {@value #AGGREGATE_TOLERANCE} relative.
     */
    void assertSameAs(JobOutput expected, String source) {
        assertExactlyOnce(source + " errors", errors, expected.errors(), r -> r.experiment() + "#" + r.index());
        assertExactlyOnce(source + " norms", norms, expected.norms(), r -> r.experiment() + "#" + r.index());
        assertAggregates(source + " aggregates", aggregates, expected.aggregates());
    }

    /** Asserts that {@code actual} has each key of {@code expected} once, with an equal record. */
    static <T> void assertExactlyOnce(String what, List<T> actual, List<T> expected, Function<T, String> key) {
        Map<String, T> expectedByKey = byUniqueKey(expected, key, what + " (expected)");
        Map<String, T> actualByKey = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (T record : actual) {
            if (actualByKey.putIfAbsent(key.apply(record), record) != null) {
                duplicates.add(key.apply(record));
            }
        }
        Set<String> missing = new TreeSet<>(expectedByKey.keySet());
        missing.removeAll(actualByKey.keySet());
        Set<String> extra = new TreeSet<>(actualByKey.keySet());
        extra.removeAll(expectedByKey.keySet());
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, T> entry : expectedByKey.entrySet()) {
            T found = actualByKey.get(entry.getKey());
            if (found != null && !found.equals(entry.getValue())) {
                different.add(found + " but expected " + entry.getValue());
            }
        }

        assertThat(duplicates).as("%s: keys seen more than once", what).isEmpty();
        assertThat(missing).as("%s: keys missing", what).isEmpty();
        assertThat(extra).as("%s: keys not in the uninterrupted run", what).isEmpty();
        assertThat(different).as("%s: records that differ from the uninterrupted run", what).isEmpty();
        assertThat(actual).as("%s: record count", what).hasSize(expected.size());
    }

    private static void assertAggregates(String what, List<Aggregate> actual, List<Aggregate> expected) {
        Map<String, Aggregate> expectedByKey = byUniqueKey(expected, Aggregate::key, what + " (expected)");
        Map<String, Integer> counts = new HashMap<>();
        actual.forEach(a -> counts.merge(a.key(), 1, Integer::sum));
        assertThat(counts.keySet()).as("%s: (learner, bin, runs) keys", what).isEqualTo(expectedByKey.keySet());
        assertThat(counts.values()).as("%s: records per key", what).allMatch(count -> count == 1);

        for (Aggregate aggregate : actual) {
            Aggregate reference = expectedByKey.get(aggregate.key());
            assertThat(aggregate.complete()).as("%s %s complete", what, aggregate.key()).isEqualTo(reference.complete());
            if (aggregate.complete()) {
                double tolerance = AGGREGATE_TOLERANCE * Math.abs(reference.meanError());
                assertThat(aggregate.meanError()).as("%s %s mean error", what, aggregate.key())
                        .isCloseTo(reference.meanError(), offset(tolerance));
            }
        }
    }

    private static <T> Map<String, T> byUniqueKey(List<T> records, Function<T, String> key, String what) {
        Map<String, T> byKey = new LinkedHashMap<>();
        for (T record : records) {
            T previous = byKey.put(key.apply(record), record);
            assertThat(previous).as("%s: key %s twice", what, key.apply(record)).isNull();
        }
        return byKey;
    }

    private static Aggregate aggregateFromCsv(String line) {
        // learner,task,bin,first_index,last_index,mean_error,standard_error,runs,complete
        String[] fields = line.split(",", -1);
        double mean = fields[5].isEmpty() ? Double.NaN : Double.parseDouble(fields[5]);
        return new Aggregate(fields[0], Long.parseLong(fields[2]), Integer.parseInt(fields[7]),
                Boolean.parseBoolean(fields[8]), mean);
    }

    private static Aggregate aggregateFromJson(JsonNode node) {
        JsonNode mean = node.get("mean_error");
        return new Aggregate(node.get("learner").asText(), node.get("bin").asLong(), node.get("runs").asInt(),
                node.get("complete").asBoolean(), mean == null || mean.isNull() ? Double.NaN : mean.asDouble());
    }

    private static void forEachLine(Path dir, String suffix, boolean hasHeader, Consumer<String> action) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String line : lines.subList(hasHeader && !lines.isEmpty() ? 1 : 0, lines.size())) {
                    if (!line.isEmpty()) {
                        action.accept(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the error records of one experiment, sorted by index. */
    List<ErrorRecord> errorsOf(String experiment) {
        return errors.stream()
                .filter(r -> Objects.equals(r.experiment(), experiment))
                .sorted(Comparator.comparingLong(ErrorRecord::index))
                .toList();
    }
}
