package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.types.DeadLetter;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.InvalidReason;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bad records in a live classification stream: each kind reaches the dead-letter topic once, read
 * committed, with its own reason, its source topic, partition and offset and its original bytes,
 * and is counted in the parse step's {@code deadLetters.<reason>} counter, read through an
 * in-memory metric reporter of the mini cluster. The good records around them are learned from
 * exactly once: the job's records equal those of a job over the good records alone.
 */
class DeadLetterITCase {

    /** Allows the record larger than {@link ExampleCodec#MAX_RECORD_BYTES} into the examples topic. */
    private static final int MAX_MESSAGE_BYTES = 4 << 20;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA =
            new KafkaBrokerExtension(Map.of("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)));

    private static final String CLEAN_TOPIC = "dead-letters-clean";
    private static final String MIXED_TOPIC = "dead-letters-mixed";

    private static final List<String> RUNS = List.of("sensor-a", "sensor-b");
    private static final int EXAMPLES_PER_RUN = 150;
    private static final int INPUTS = 4;
    private static final int CLASSES = 3;

    /** One bad record as sent: where it landed, its bytes and the reason the job must give. */
    private record BadRecord(String reason, int partition, long offset, byte[] value) {}

    private static final List<BadRecord> BAD_RECORDS = new ArrayList<>();

    @BeforeAll
    static void produceExamples() throws Exception {
        Map<String, List<Example>> good = goodExamples();
        for (String topic : List.of(CLEAN_TOPIC, MIXED_TOPIC)) {
            KAFKA.createTopic(topic, 2);
        }
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < EXAMPLES_PER_RUN; i++) {
                for (String run : RUNS) {
                    byte[] encoded = ExampleCodec.encode(good.get(run).get(i), WireFormat.BINARY);
                    send(producer, CLEAN_TOPIC, run, encoded);
                    send(producer, MIXED_TOPIC, run, encoded);
                }
                // After example i of sensor-a, and in its partition, one bad record of some kind.
                byte[] bad = badRecordAfter(i, good.get("sensor-a"));
                if (bad != null) {
                    RecordMetadata position = send(producer, MIXED_TOPIC, "sensor-a", bad);
                    BAD_RECORDS.add(new BadRecord(reasonAfter(i), position.partition(), position.offset(), bad));
                }
            }
            producer.flush();
        }
    }

    /** Returns the bad record sent after good example {@code i} of sensor-a, or null. */
    private static byte[] badRecordAfter(int i, List<Example> run) {
        Example next = i + 1 < run.size() ? run.get(i + 1) : null;
        return switch (i) {
            case 10 -> Arrays.copyOf(binary(next), 12);
            case 20 -> new byte[0];
            case 30 -> "this is not json".getBytes(StandardCharsets.UTF_8);
            case 40 -> {
                byte[] unknownVersion = binary(next);
                unknownVersion[1] = 99;
                yield unknownVersion;
            }
            case 50 -> ExampleCodec.encode(Example.classification("sensor-a", i + 1, "live", new double[] {0.1, 0.2}, 1),
                    WireFormat.JSON);
            case 60 -> binary(Example.classification("sensor-a", i + 1, "live", new double[] {0.1, Double.NaN, 0.3, 0.4}, 1));
            case 70 -> binary(Example.classification("sensor-a", i + 1, "live",
                    new double[] {Double.POSITIVE_INFINITY, 0.2, 0.3, 0.4}, 1));
            case 80 -> binary(Example.classification("sensor-a", i + 1, "live", next.x(), CLASSES + 4));
            case 90 -> binary(Example.classification("sensor-a", -1, "live", next.x(), 0));
            case 100 -> ("{" + " ".repeat(ExampleCodec.MAX_RECORD_BYTES)).getBytes(StandardCharsets.UTF_8);
            case 110 -> binary(run.get(i));
            case 120 -> binary(run.get(i - 2));
            default -> null;
        };
    }

    /** Reasons of records that did not decode into an example. */
    private static final Set<String> UNDECODABLE = Set.of(InvalidReason.TRUNCATED.id(), InvalidReason.EMPTY.id(),
            InvalidReason.NOT_JSON.id(), InvalidReason.UNKNOWN_FORMAT_VERSION.id(), InvalidReason.TOO_LARGE.id());

    private static String reasonAfter(int i) {
        InvalidReason reason = switch (i) {
            case 10 -> InvalidReason.TRUNCATED;
            case 20 -> InvalidReason.EMPTY;
            case 30 -> InvalidReason.NOT_JSON;
            case 40 -> InvalidReason.UNKNOWN_FORMAT_VERSION;
            case 50 -> InvalidReason.WRONG_INPUT_COUNT;
            case 60, 70 -> InvalidReason.NON_FINITE_INPUT;
            case 80 -> InvalidReason.LABEL_OUT_OF_RANGE;
            case 90 -> InvalidReason.NEGATIVE_INDEX;
            case 100 -> InvalidReason.TOO_LARGE;
            case 110 -> InvalidReason.DUPLICATE_INDEX;
            case 120 -> InvalidReason.OUT_OF_ORDER_INDEX;
            default -> throw new IllegalArgumentException("no bad record after example " + i);
        };
        return reason.id();
    }

    @Test
    void badRecordsReachDeadLetterTopicOnce(@TempDir Path dir) throws Exception {
        ExperimentConfig clean = config("dead-letters-clean", CLEAN_TOPIC);
        ExperimentConfig mixed = config("dead-letters-mixed", MIXED_TOPIC);
        FaultExperiment.createOutputTopics(KAFKA.bootstrapServers(), clean);
        FaultExperiment.createOutputTopics(KAFKA.bootstrapServers(), mixed);
        InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

        Map<String, Long> counters;
        try (TestCluster cluster = TestCluster.start(1, 2, reporter.addToConfiguration(new Configuration()))) {
            JobID cleanJob = cluster.submit(FaultJobs.plain(clean,
                    FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("clean"), clean.name()), dir.resolve("checkpoints")));
            cluster.awaitSuccess(cleanJob, Duration.ofMinutes(3));
            JobID mixedJob = cluster.submit(FaultJobs.plain(mixed,
                    FaultJobs.options(KAFKA.bootstrapServers(), dir.resolve("mixed"), mixed.name()), dir.resolve("checkpoints")));
            cluster.awaitSuccess(mixedJob, Duration.ofMinutes(3));
            counters = deadLetterCounters(reporter, mixedJob);
        }

        // The good records: learned from once each, as without the bad ones.
        JobOutput reference = JobOutput.readFiles(dir.resolve("clean"));
        assertThat(reference.errors()).as("error records of the clean run: runs x examples x learners")
                .hasSize(RUNS.size() * EXAMPLES_PER_RUN * clean.learners().size());
        assertThat(reference.deadLetters()).as("dead letters of the clean run").isEmpty();
        JobOutput files = JobOutput.readFiles(dir.resolve("mixed"));
        files.assertSameAs(reference, "files");
        JobOutput topics = JobOutput.readTopics(KAFKA.bootstrapServers(), mixed.kafka());
        topics.assertSameAs(reference, "topics");

        // The bad records: each once in the dead-letter topic, with its reason, position and bytes.
        Map<Long, JsonNode> lettersByOffset = new TreeMap<>();
        for (JsonNode letter : topics.deadLetters()) {
            assertThat(lettersByOffset.put(letter.get("offset").asLong(), letter))
                    .as("dead letters of offset %s", letter.get("offset")).isNull();
        }
        assertThat(lettersByOffset).as("dead letters by offset").hasSameSizeAs(BAD_RECORDS);
        for (BadRecord bad : BAD_RECORDS) {
            JsonNode letter = lettersByOffset.get(bad.offset());
            assertThat(letter).as("dead letter of offset %d (%s)", bad.offset(), bad.reason()).isNotNull();
            assertThat(letter.get("reason").asText()).as("reason at offset %d", bad.offset()).isEqualTo(bad.reason());
            assertThat(letter.get("topic").asText()).as("topic of %s", bad.reason()).isEqualTo(MIXED_TOPIC);
            assertThat(letter.get("partition").asInt()).as("partition of %s", bad.reason()).isEqualTo(bad.partition());
            assertThat(letter.get("message").asText()).as("message of %s", bad.reason()).isNotBlank();
            // A record that decoded names its run; one that did not has no run to name.
            if (UNDECODABLE.contains(bad.reason())) {
                assertThat(letter.has("run")).as("run of %s", bad.reason()).isFalse();
            } else {
                assertThat(letter.get("run").asText()).as("run of %s", bad.reason()).isEqualTo("sensor-a");
                assertThat(letter.has("index")).as("index of %s", bad.reason())
                        .isEqualTo(!bad.reason().equals(InvalidReason.NEGATIVE_INDEX.id()));
            }
            // A record longer than the dead letter keeps is cut to its first MAX_VALUE_BYTES bytes.
            boolean truncated = bad.value().length > DeadLetter.MAX_VALUE_BYTES;
            byte[] expectedBytes = truncated ? Arrays.copyOf(bad.value(), DeadLetter.MAX_VALUE_BYTES) : bad.value();
            byte[] value = Base64.getDecoder().decode(letter.get("value_base64").asText());
            assertThat(value).as("original bytes of %s", bad.reason()).isEqualTo(expectedBytes);
            assertThat(letter.get("value_size").asInt()).as("original size of %s", bad.reason()).isEqualTo(bad.value().length);
            assertThat(letter.get("value_truncated").asBoolean()).as("%s truncated", bad.reason()).isEqualTo(truncated);
        }
        assertThat(files.deadLetters()).as("dead-letter files").hasSameSizeAs(BAD_RECORDS);

        Map<String, Long> expectedCounts = new HashMap<>();
        BAD_RECORDS.forEach(bad -> expectedCounts.merge(bad.reason(), 1L, Long::sum));
        assertThat(expectedCounts).as("distinct reasons: 11 kinds, NaN and infinity share one").hasSize(11);
        assertThat(counters).as("deadLetters.<reason> counters, summed over subtasks").isEqualTo(expectedCounts);
    }

    /** Sums the parse step's non-zero {@code deadLetters.<reason>} counters of a job over its subtasks. */
    private static Map<String, Long> deadLetterCounters(InMemoryReporter reporter, JobID job) {
        Map<String, Long> counts = new HashMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : reporter.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            for (Map.Entry<String, Metric> metric : group.getValue().entrySet()) {
                String identifier = group.getKey().getMetricIdentifier(metric.getKey());
                if (identifier.endsWith(".deadLetters." + metric.getKey())
                        && metric.getValue() instanceof Counter counter && counter.getCount() > 0) {
                    counts.merge(metric.getKey(), counter.getCount(), Long::sum);
                }
            }
        }
        return counts;
    }

    private static ExperimentConfig config(String name, String topic) {
        String yaml = String.join("\n",
                "name: " + name,
                "task: {kind: live, inputs: " + INPUTS + ", output: classification, outputs: " + CLASSES + "}",
                "network: {hidden: 8, init_seed: 3}",
                "learners:",
                "  - {kind: crossprop, step_size: 0.01, eta: 0.5}",
                "  - {kind: adam, step_size: 0.001}",
                "kafka: {topic: " + topic + ", partitions: 2}",
                "output: {aggregate_bin: 50}",
                "checkpoint_interval: 300ms",
                "parallelism: 2",
                "");
        return ExperimentConfigLoader.parse(name + ".yaml", new Yaml().load(yaml));
    }

    /** Draws the good examples: inputs uniform in [0, 1), label the index of the largest of the first three. */
    private static Map<String, List<Example>> goodExamples() {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, List<Example>> runs = new LinkedHashMap<>();
        for (String run : RUNS) {
            List<Example> examples = new ArrayList<>();
            for (int i = 0; i < EXAMPLES_PER_RUN; i++) {
                double[] x = new double[INPUTS];
                for (int j = 0; j < INPUTS; j++) {
                    x[j] = random.nextDouble();
                }
                int label = 0;
                if (x[1] > x[label]) {
                    label = 1;
                }
                if (x[2] > x[label]) {
                    label = 2;
                }
                examples.add(Example.classification(run, i, "live", x, label));
            }
            runs.put(run, examples);
        }
        return runs;
    }

    private static byte[] binary(Example example) {
        return ExampleCodec.encode(example, WireFormat.BINARY);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }
}
