package dev.crossprop.job.faults;

import dev.crossprop.job.ExperimentExamples;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;

/**
 * The small GEOFF experiment that every fault test runs: 3 runs of 300 examples (stages A, B, C of
 * 100), 3 learners with 8 hidden units, so 2,700 error records and 2,700 norm records, and a
 * checkpoint every 300 ms.
 *
 * <p>Every test names its own copy of the experiment, which gives it its own output topics and
 * Kafka transactional ids on a shared broker; experiment ids ({@code run/learner}) do not depend
 * on the name, so the records of any copy compare one to one with the {@link Baseline}.
 */
final class FaultExperiment {

    static final int RUNS = 3;
    static final int EXAMPLES_PER_RUN = 300;
    static final int LEARNERS = 3;

    /** Records of each per-example stream: one per example, run and learner. */
    static final int RECORDS = RUNS * EXAMPLES_PER_RUN * LEARNERS;

    /** Partitions of every topic; two, so that parallelism 2 gives each source reader one. */
    static final int PARTITIONS = 2;

    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private static final String LEARNER_LINES = String.join("\n",
            "  - {kind: crossprop, step_size: 0.01, eta: 0.5}",
            "  - {kind: backprop, step_size: 0.01}",
            "  - {kind: adam, step_size: 0.001}");

    private FaultExperiment() {}

    /** Returns the experiment named {@code name}, reading examples from {@code topic}. */
    static ExperimentConfig config(String name, String topic, int parallelism) {
        return config(name, topic, parallelism, "");
    }

    /** Returns the experiment with {@code extraLearnerLines} appended to its learners list. */
    static ExperimentConfig config(String name, String topic, int parallelism, String extraLearnerLines) {
        String yaml = String.join("\n",
                "name: " + name,
                "task: {kind: geoff, inputs: 6, features: 30, examples_per_task: 100, schedule: 'A,B,C'}",
                "runs: {count: " + RUNS + ", first_seed: 21}",
                "network: {hidden: 8, init_seed: 3}",
                "learners:",
                LEARNER_LINES,
                extraLearnerLines,
                "kafka: {topic: " + topic + ", partitions: " + PARTITIONS + "}",
                "output: {aggregate_bin: 50}",
                "checkpoint_interval: 300ms",
                "parallelism: " + parallelism,
                "");
        return ExperimentConfigLoader.parse(name + ".yaml", new Yaml().load(yaml));
    }

    /**
     * Returns the examples of every run, interleaved run by run (run 1 index 0, run 2 index 0, ...),
     * so that every run has started long before the input ends.
     */
    static List<Example> interleavedExamples(ExperimentConfig config) {
        List<Iterator<Example>> runs;
        try {
            runs = ExperimentExamples.runs(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Example> examples = new ArrayList<>();
        boolean more = true;
        while (more) {
            more = false;
            for (Iterator<Example> run : runs) {
                if (run.hasNext()) {
                    examples.add(run.next());
                    more = true;
                }
            }
        }
        return examples;
    }

    /** Creates the examples topic and the four output topics of {@code config}. */
    static void createTopics(String bootstrapServers, ExperimentConfig config) {
        KafkaAdmin.ensureTopic(bootstrapServers, config.kafka().topic(), PARTITIONS, ADMIN_TIMEOUT);
        createOutputTopics(bootstrapServers, config);
    }

    /** Creates the four output topics of {@code config}. */
    static void createOutputTopics(String bootstrapServers, ExperimentConfig config) {
        for (String topic : List.of(config.kafka().errorsTopic(), config.kafka().normsTopic(),
                config.kafka().aggregatesTopic(), config.kafka().deadLetterTopic())) {
            KafkaAdmin.ensureTopic(bootstrapServers, topic, PARTITIONS, ADMIN_TIMEOUT);
        }
    }

    /** Writes the examples in binary form, keyed by run id, and waits until the broker has them. */
    static void produce(String bootstrapServers, String topic, List<Example> examples) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
            for (Example example : examples) {
                producer.send(new ProducerRecord<>(topic, example.run().getBytes(StandardCharsets.UTF_8),
                        ExampleCodec.encode(example, WireFormat.BINARY)));
            }
            producer.flush();
        }
    }

    /** Opens an idempotent producer, which keeps each run's records in order through retries. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
