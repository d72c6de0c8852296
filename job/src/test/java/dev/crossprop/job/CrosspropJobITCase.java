package dev.crossprop.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.learn.Learner;
import dev.crossprop.learn.StepResult;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.ExampleJson;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.kafka.KafkaBrokerExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The whole job on a Flink mini cluster against a real Kafka broker: its per-example records
 * must equal, bit for bit, what the learners produce when stepped directly over the same
 * examples (the computation that {@code replay} performs), at parallelism 1 and 2, while bad
 * records go to the dead-letter output.
 */
class CrosspropJobITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String TOPIC = "job-it-examples";

    private static final String CONFIG = String.join("\n",
            "name: job-it",
            "task: {kind: geoff, inputs: 6, features: 30, examples_per_task: 40, schedule: 'A,B,A'}",
            "runs: {count: 3, first_seed: 11}",
            "network: {hidden: 8, init_seed: 5}",
            "learners:",
            "  - {kind: crossprop, step_size: 0.01, eta: 0.5}",
            "  - {kind: crossprop-approx, step_size: 0.01}",
            "  - {kind: backprop, step_size: 0.01}",
            "  - {kind: adam, step_size: 0.001}",
            "  - {kind: rmsprop, step_size: 0.001}",
            "kafka: {topic: " + TOPIC + ", partitions: 2}",
            "output: {aggregate_bin: 20}",
            "checkpoint_interval: 200ms",
            "");

    private static ExperimentConfig config;
    private static Map<String, List<Example>> examplesByRun;

    @BeforeAll
    static void produceExamples() throws Exception {
        config = ExperimentConfigLoader.parse("job-it.yaml", new Yaml().load(CONFIG));
        KAFKA.createTopic(TOPIC, 2);

        examplesByRun = new TreeMap<>();
        for (long seed : config.seeds()) {
            List<Example> run = new ArrayList<>();
            ExperimentExamples.run(config.task(), seed).forEachRemaining(run::add);
            examplesByRun.put(config.task().runId(seed), run);
        }

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // Runs interleaved, alternating wire formats; bad records mixed in.
            List<Iterator<Example>> iterators = new ArrayList<>();
            examplesByRun.values().forEach(list -> iterators.add(list.iterator()));
            int sent = 0;
            boolean more = true;
            while (more) {
                more = false;
                for (Iterator<Example> iterator : iterators) {
                    if (!iterator.hasNext()) {
                        continue;
                    }
                    more = true;
                    Example example = iterator.next();
                    WireFormat format = sent % 2 == 0 ? WireFormat.BINARY : WireFormat.JSON;
                    send(producer, example.run(), ExampleCodec.encode(example, format));
                    if (example.index() == 7) {
                        // The same index again: reported once, not learned from twice.
                        send(producer, example.run(), ExampleCodec.encode(example, WireFormat.JSON));
                    }
                    sent++;
                }
            }
            send(producer, "bad", "this is not json".getBytes(StandardCharsets.UTF_8));
            send(producer, "bad", new byte[0]);
            send(producer, "bad", Arrays.copyOf(ExampleCodec.encode(examplesByRun.get("geoff-seed-11").get(0), WireFormat.BINARY), 12));
            send(producer, "bad", "{\"run\": \"x\", \"index\": 0, \"task\": \"A\", \"x\": [1, 2], \"y\": [0]}".getBytes(StandardCharsets.UTF_8));
            producer.flush();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        producer.send(new ProducerRecord<>(TOPIC, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static Path runJob(Path resultsDir, int parallelism) throws Exception {
        ExperimentConfig withParallelism = config.withParallelism(parallelism);
        String jobName = "job-it-p" + parallelism;
        var conf = JobEnvironment.configuration(withParallelism, jobName, resultsDir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        Path results = resultsDir.resolve("results");
        CrosspropJob.build(env, withParallelism, new JobOptions(KAFKA.bootstrapServers(), true, results.toString(), false, jobName));
        env.execute(jobName);
        return results;
    }

    @Test
    void recordsEqualDirectLearningAtParallelismOneAndTwo(@TempDir Path one, @TempDir Path two) throws Exception {
        Path resultsOne = runJob(one, 1);
        Path resultsTwo = runJob(two, 2);

        Map<String, List<ErrorRecord>> errorsOne = readErrors(resultsOne);
        Map<String, List<NormRecord>> normsOne = readNorms(resultsOne);
        assertThat(errorsOne).hasSize(config.seeds().size() * config.learners().size());

        for (String run : examplesByRun.keySet()) {
            for (LearnerSpec spec : config.learners()) {
                String experiment = spec.experimentId(run);
                List<ErrorRecord> errors = errorsOne.get(experiment);
                List<NormRecord> norms = normsOne.get(experiment);
                List<Example> examples = examplesByRun.get(run);
                assertThat(errors).as(experiment).hasSize(examples.size());
                assertThat(norms).as(experiment).hasSize(examples.size());

                Learner learner = Learner.create(spec.config(), ExperimentSeeds.initialWeightsSeed(config.initSeed(), run));
                for (int i = 0; i < examples.size(); i++) {
                    Example example = examples.get(i);
                    StepResult expected = learner.step(example.x(), example.y());
                    ErrorRecord error = errors.get(i);
                    NormRecord norm = norms.get(i);
                    assertThat(error.index()).isEqualTo(i);
                    assertThat(error.task()).isEqualTo(example.task());
                    assertThat(error.step()).isEqualTo(i + 1);
                    assertThat(error.error()).as("%s error at %d", experiment, i).isEqualTo(expected.error());
                    assertThat(norm.uChange()).as("%s U change at %d", experiment, i).isEqualTo(expected.uChange());
                    assertThat(norm.wChange()).as("%s W change at %d", experiment, i).isEqualTo(expected.wChange());
                }
            }
        }

        assertThat(readErrors(resultsTwo)).isEqualTo(errorsOne);
        assertThat(readNorms(resultsTwo)).isEqualTo(normsOne);
    }

    @Test
    void badRecordsReachDeadLettersWithReasons(@TempDir Path dir) throws Exception {
        Path results = runJob(dir, 1);

        List<JsonNode> letters = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        ResultsSummary.forEachFile(results.resolve("dead-letters"), ".jsonl", false, line -> {
            try {
                letters.add(mapper.readTree(line));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Integer> reasons = new HashMap<>();
        letters.forEach(letter -> reasons.merge(letter.get("reason").asText(), 1, Integer::sum));

        assertThat(reasons).containsEntry("duplicate-index", config.seeds().size())
                .containsEntry("not-json", 1)
                .containsEntry("empty", 1)
                .containsEntry("truncated", 1)
                .containsEntry("wrong-input-count", 1);
        JsonNode duplicate = letters.stream().filter(l -> l.get("reason").asText().equals("duplicate-index")).findFirst().orElseThrow();
        assertThat(duplicate.get("topic").asText()).isEqualTo(TOPIC);
        assertThat(duplicate.get("index").asLong()).isEqualTo(7);
        byte[] original = java.util.Base64.getDecoder().decode(duplicate.get("value_base64").asText());
        assertThat(ExampleJson.parse(original).index()).isEqualTo(7);
    }

    @Test
    void aggregatesAverageAllRuns(@TempDir Path dir) throws Exception {
        Path results = runJob(dir, 2);

        List<String[]> complete = new ArrayList<>();
        ResultsSummary.forEachFile(results.resolve("aggregates"), ".csv", true, line -> {
            String[] fields = line.split(",", -1);
            if (fields[8].equals("true")) {
                complete.add(fields);
            }
        });
        // 120 examples per run in bins of 20: 6 bins per learner, each complete once.
        assertThat(complete).hasSize(6 * config.learners().size());

        Map<String, List<ErrorRecord>> errors = readErrors(results);
        String[] first = complete.stream().filter(f -> f[0].equals("backprop") && f[2].equals("0")).findFirst().orElseThrow();
        double sum = 0;
        for (String run : examplesByRun.keySet()) {
            sum += errors.get(run + "/backprop").subList(0, 20).stream().mapToDouble(ErrorRecord::error).sum() / 20;
        }
        assertThat(Double.parseDouble(first[5])).isCloseTo(sum / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(first[7]).isEqualTo("3");
    }

    static Map<String, List<ErrorRecord>> readErrors(Path results) throws Exception {
        Map<String, List<ErrorRecord>> byExperiment = new TreeMap<>();
        ResultsSummary.forEachLine(results.resolve("errors"),
                line -> {
                    ErrorRecord record = RecordCsv.parseError(line);
                    byExperiment.computeIfAbsent(record.experiment(), k -> new ArrayList<>()).add(record);
                });
        byExperiment.values().forEach(list -> list.sort(Comparator.comparingLong(ErrorRecord::index)));
        return byExperiment;
    }

    static Map<String, List<NormRecord>> readNorms(Path results) throws Exception {
        Map<String, List<NormRecord>> byExperiment = new TreeMap<>();
        ResultsSummary.forEachLine(results.resolve("norms"),
                line -> {
                    NormRecord record = RecordCsv.parseNorm(line);
                    byExperiment.computeIfAbsent(record.experiment(), k -> new ArrayList<>()).add(record);
                });
        byExperiment.values().forEach(list -> list.sort(Comparator.comparingLong(NormRecord::index)));
        return byExperiment;
    }
}
