package dev.crossprop.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordJson;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * The job's Kafka sinks against a real broker: a read-committed consumer of the output topics
 * reads exactly the records the job wrote to its files, once each, as strict JSON, and the broker
 * stores them compressed.
 */
class KafkaOutputsITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String CONFIG = String.join("\n",
            "name: sinks-it",
            "task: {kind: geoff, inputs: 5, features: 20, examples_per_task: 50, schedule: 'A,B'}",
            "runs: {count: 2}",
            "network: {hidden: 6}",
            "learners:",
            "  - {kind: crossprop, step_size: 0.01, eta: 0}",
            "  - {kind: rmsprop, step_size: 0.001}",
            "kafka: {topic: sinks-it-examples, partitions: 2}",
            "checkpoint_interval: 300ms",
            "");

    @Test
    void readCommittedConsumerSeesWhatTheJobEmitted(@TempDir Path dir) throws Exception {
        ExperimentConfig config = ExperimentConfigLoader.parse("sinks-it.yaml", new Yaml().load(CONFIG));
        KAFKA.createTopic(config.kafka().topic(), 2);
        for (String topic : List.of(config.kafka().errorsTopic(), config.kafka().normsTopic(),
                config.kafka().aggregatesTopic(), config.kafka().deadLetterTopic())) {
            KAFKA.createTopic(topic, 2);
        }
        produce(config);

        String jobName = "sinks-it";
        var conf = JobEnvironment.configuration(config, jobName, dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        Path results = dir.resolve("results");
        CrosspropJob.build(env, config, new JobOptions(KAFKA.bootstrapServers(), true, results.toString(), true, jobName));
        env.execute(jobName);

        Map<String, List<ErrorRecord>> fileErrors = CrosspropJobITCase.readErrors(results);
        Map<String, List<NormRecord>> fileNorms = CrosspropJobITCase.readNorms(results);
        List<ErrorRecord> expectedErrors = new ArrayList<>();
        fileErrors.values().forEach(expectedErrors::addAll);
        List<NormRecord> expectedNorms = new ArrayList<>();
        fileNorms.values().forEach(expectedNorms::addAll);
        assertThat(expectedErrors).hasSize(2 * 2 * 100);

        List<ConsumerRecord<byte[], byte[]>> errorRecords = consume(config.kafka().errorsTopic(), expectedErrors.size());
        List<ConsumerRecord<byte[], byte[]>> normRecords = consume(config.kafka().normsTopic(), expectedNorms.size());

        ObjectMapper strict = new ObjectMapper();
        for (ConsumerRecord<byte[], byte[]> record : errorRecords) {
            strict.readTree(record.value());
        }
        List<ErrorRecord> kafkaErrors = decode(errorRecords, RecordJson::parseError);
        List<NormRecord> kafkaNorms = decode(normRecords, RecordJson::parseNorm);
        assertThat(kafkaErrors).containsExactlyInAnyOrderElementsOf(expectedErrors);
        assertThat(kafkaNorms).containsExactlyInAnyOrderElementsOf(expectedNorms);
        for (ConsumerRecord<byte[], byte[]> record : errorRecords) {
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo(RecordJson.parseError(record.value()).experiment());
        }

        // The sinks compress with LZ4 by default, so the broker stores the norm records in less
        // than half the bytes of their keys and values. Uncompressed batches take more.
        long rawBytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : normRecords) {
            rawBytes += record.key().length + record.value().length;
        }
        assertThat(storedBytes(config.kafka().normsTopic())).isLessThan(rawBytes / 2);
    }

    @Test
    void eachSinkHasItsOwnTransactionalIdPrefix() {
        Set<String> prefixes = new HashSet<>();
        for (String sink : List.of("errors", "norms", "aggregates", "dead-letters")) {
            prefixes.add(KafkaOutputs.transactionalIdPrefix("crossprop-geoff", sink));
        }
        prefixes.add(KafkaOutputs.transactionalIdPrefix("crossprop-mnist", "errors"));

        assertThat(prefixes).hasSize(5);
        assertThat(KafkaOutputs.transactionalIdPrefix("my job/1", "errors")).isEqualTo("my_job_1-errors");
    }

    private static <T> List<T> decode(List<ConsumerRecord<byte[], byte[]>> records, Function<byte[], T> parse) {
        List<T> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            decoded.add(parse.apply(record.value()));
        }
        return decoded;
    }

    private static void produce(ExperimentConfig config) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long seed : config.seeds()) {
                var examples = ExperimentExamples.run(config.task(), seed);
                while (examples.hasNext()) {
                    Example example = examples.next();
                    producer.send(new ProducerRecord<>(config.kafka().topic(),
                            example.run().getBytes(StandardCharsets.UTF_8), ExampleCodec.encode(example, WireFormat.BINARY)));
                }
            }
        }
    }

    /** Returns the bytes that the broker's log directories hold for all partitions of {@code topic}. */
    private static long storedBytes(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            long bytes = 0;
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (replica.getKey().topic().equals(topic)) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }

    /** Reads {@code expected} committed records, then polls once more to catch any extra ones. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
        }
        return records;
    }
}
