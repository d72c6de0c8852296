package dev.crossprop.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crossprop.job.ExperimentSeeds;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.ExperimentConfigLoader;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.learn.Learner;
import dev.crossprop.learn.StepResult;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordJson;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * The cluster jar on a real standalone Flink session cluster: {@code docker/local-cluster.sh
 * start} runs a JobManager, two TaskManagers (2 slots each) and a Kafka broker, each in its own
 * JVM on 127.0.0.1. The test writes a small GEOFF experiment with the {@code produce} command,
 * submits {@code crossprop-cluster.jar} with Flink's command-line client ({@code docker/flink.sh
 * run}), and reads the output topics with a read-committed consumer. Every (experiment, example
 * index) must appear exactly once, with values bit-identical to the learners stepped directly over
 * the examples read back from the topic, which is what {@code replay} computes.
 *
 * <p>The last job runs after a restart of the cluster with the cluster jar on its class path
 * ({@code CROSSPROP_SHARED_JOB_JAR}), and its learn subtasks must load their classes from that jar.
 *
 * <p>The second job loses a TaskManager to SIGKILL after its first completed checkpoint. The
 * killed TaskManager is not restarted: the job restarts from that checkpoint on the two slots of
 * the other TaskManager, under the job's fixed-delay restart strategy (10 attempts, 2 s apart, set
 * by {@code JobEnvironment}), and its outputs must again be exactly-once and equal to replay.
 *
 * <p>Run by maven-failsafe-plugin in {@code mvn verify}, after the package phase built both jars.
 * The cluster's logs are in {@code job/target/cluster-it/cluster/logs}, the output of each command
 * in {@code job/target/cluster-it/cluster-commands}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {

    private static final String EXAMPLES_TOPIC = "cluster-it-examples";

    /**
     * A small GEOFF experiment: 3 runs x 4 learners x 7,500 examples (stages A, B, C of 2,500), a
     * 20-50-1 network. At parallelism 2 the job ran for 20 to 45 s on a two-core machine shared
     * with other builds, long enough to kill a TaskManager after the first checkpoint (1 s
     * interval), which came 8 to 9 s after the job started in the runs measured.
     */
    private static final String CONFIG_TEMPLATE = String.join("\n",
            "name: NAME",
            "task: {kind: geoff, inputs: 20, features: 100, examples_per_task: 2500, schedule: 'A,B,C'}",
            "runs: {count: 3, first_seed: 1}",
            "network: {hidden: 50, init_seed: 3}",
            "learners:",
            "  - {kind: crossprop, step_size: 0.0005, eta: 0}",
            "  - {kind: crossprop-approx, step_size: 0.0005, eta: 0.5}",
            "  - {kind: backprop, step_size: 0.0005}",
            "  - {kind: adam, step_size: 0.0005}",
            "kafka: {topic: " + EXAMPLES_TOPIC + ", partitions: 2}",
            "output: {aggregate_bin: 500}",
            "checkpoint_interval: 1s",
            "parallelism: 2",
            "");

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private static Path repoRoot;
    private static Path selfContainedJar;
    private static Path clusterJar;
    private static LocalCluster cluster;
    private static FlinkRest rest;
    /** Examples as the job reads them from the topic, by run id, in index order. */
    private static Map<String, List<Example>> examplesByRun;

    @BeforeAll
    static void startClusterAndProduceExamples() throws Exception {
        repoRoot = findRepoRoot();
        selfContainedJar = repoRoot.resolve("job/target/crossprop.jar");
        clusterJar = repoRoot.resolve("job/target/crossprop-cluster.jar");
        for (Path jar : List.of(selfContainedJar, clusterJar)) {
            assertThat(jar).as("%s is built by the package phase; run mvn verify", jar).isRegularFile();
        }

        cluster = LocalCluster.start(repoRoot, repoRoot.resolve("job/target/cluster-it/cluster"));
        rest = new FlinkRest(cluster.restUrl());

        ExperimentConfig config = writeConfig("cluster-it-produce");
        produce(config);
        examplesByRun = readExamples(config);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void webUiAndRestApiListenOnLoopbackOnly() throws Exception {
        List<InetAddress> restAddresses = ListeningSockets.addressesOf(cluster.restPort());
        List<InetAddress> kafkaAddresses = ListeningSockets.addressesOf(cluster.kafkaPort());

        assertThat(restAddresses).as("listening addresses of the REST port").isNotEmpty()
                .allMatch(InetAddress::isLoopbackAddress);
        assertThat(kafkaAddresses).as("listening addresses of the Kafka port").isNotEmpty()
                .allMatch(InetAddress::isLoopbackAddress);

        HttpResponse<String> webUi = rest.getRaw("/");
        assertThat(webUi.statusCode()).as("status of the web UI's index page").isEqualTo(200);
        assertThat(webUi.body()).as("web UI index page").containsIgnoringCase("<html");
        JsonNode overview = rest.get("/overview");
        assertThat(overview.path("taskmanagers").asInt()).as("TaskManagers in the REST overview").isEqualTo(2);
        assertThat(overview.path("slots-total").asInt()).as("slots in the REST overview").isEqualTo(4);
    }

    @Test
    @Order(2)
    void jobOutputsEqualReplayExactlyOnce() throws Exception {
        ExperimentConfig config = writeConfig("cluster-it-plain");

        String jobId = submit(config);
        String state = rest.awaitTerminalState(jobId, JOB_TIMEOUT);

        assertThat(state).as("final state of job %s (root exception: %s)", jobId, rest.rootException(jobId))
                .isEqualTo("FINISHED");
        assertThat(jobsOverviewState(jobId)).as("state of job %s in /jobs/overview", jobId).isEqualTo("FINISHED");
        assertOutputsEqualReplayExactlyOnce(config);
        // Without a shared jar, each job's classes come from its own copy of the submitted jar.
        assertThat(learnerClassLocations(jobId)).as("where the learn subtasks of job %s loaded Learner from", jobId)
                .hasSize(2)
                .noneMatch(location -> location.endsWith("/crossprop-cluster.jar"));
    }

    @Test
    @Order(3)
    void jobRecoversFromKilledTaskManager() throws Exception {
        ExperimentConfig config = writeConfig("cluster-it-kill");

        String jobId = submit(config);
        String stateBeforeKill = rest.awaitRunningWithCheckpoint(jobId, Duration.ofMinutes(2));
        assertThat(stateBeforeKill)
                .as("job %s must still run after its first checkpoint; give it more examples if it ended first", jobId)
                .isEqualTo("RUNNING");
        // Kill a TaskManager that runs a learn subtask, so that the failure hits keyed state.
        List<String> hosts = rest.taskManagersOf(jobId, "learn");
        assertThat(hosts).as("TaskManagers running the learn subtasks").isNotEmpty();
        String victim = hosts.get(hosts.size() - 1).replaceFirst("^local-", "");
        ProcessHandle taskManager = cluster.taskManager(victim);
        assertThat(taskManager.destroyForcibly()).as("SIGKILL sent to %s", victim).isTrue();
        taskManager.onExit().get(30, TimeUnit.SECONDS);

        String state = rest.awaitTerminalState(jobId, JOB_TIMEOUT);

        assertThat(state).as("final state of job %s (root exception: %s)", jobId, rest.rootException(jobId))
                .isEqualTo("FINISHED");
        assertThat(rest.restarts(jobId)).as("restarts of job %s after %s was killed", jobId, victim)
                .isGreaterThanOrEqualTo(1);
        assertThat(rest.checkpointCounts(jobId).path("restored").asLong())
                .as("checkpoint restores of job %s", jobId).isGreaterThanOrEqualTo(1);
        assertOutputsEqualReplayExactlyOnce(config);
    }

    @Test
    @Order(4)
    void sharedJobJarServesTheJobsClasses() throws Exception {
        Path sharedJar = clusterJar.toRealPath();
        cluster.restartWithSharedJobJar(sharedJar);
        ExperimentConfig config = writeConfig("cluster-it-shared");

        String jobId = submit(config);
        String state = rest.awaitTerminalState(jobId, JOB_TIMEOUT);

        assertThat(state).as("final state of job %s (root exception: %s)", jobId, rest.rootException(jobId))
                .isEqualTo("FINISHED");
        assertOutputsEqualReplayExactlyOnce(config);
        assertThat(learnerClassLocations(jobId)).as("where the learn subtasks of job %s loaded Learner from", jobId)
                .hasSize(2)
                .allMatch(location -> location.startsWith("file:")
                        && Path.of(URI.create(location)).equals(sharedJar));
    }

    // --- steps --------------------------------------------------------------------------------

    /**
     * Returns the jar or folder that each learn subtask of the job loaded its learner classes from,
     * as LearnFunction logs it when it opens, one entry per subtask.
     */
    private static List<String> learnerClassLocations(String jobId) throws Exception {
        Pattern line = Pattern.compile("Subtask \\d+ of job " + jobId + ": learner classes from (\\S+)");
        List<String> locations = new ArrayList<>();
        try (var logs = Files.newDirectoryStream(cluster.runDir().resolve("logs"), "taskmanager-*.log")) {
            for (Path log : logs) {
                for (String text : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    Matcher matcher = line.matcher(text);
                    if (matcher.find()) {
                        locations.add(matcher.group(1));
                    }
                }
            }
        }
        return locations;
    }

    /** Writes the test experiment under {@code name} next to the run directory and loads it. */
    private static ExperimentConfig writeConfig(String name) throws Exception {
        Path file = cluster.runDir().resolveSibling(name + ".yaml");
        Files.writeString(file, CONFIG_TEMPLATE.replace("NAME", name), StandardCharsets.UTF_8);
        return ExperimentConfigLoader.load(file);
    }

    private static Path configFile(ExperimentConfig config) {
        return cluster.runDir().resolveSibling(config.name() + ".yaml");
    }

    /** Writes the experiment's runs with the produce command, its task parameters taken from the file. */
    private static void produce(ExperimentConfig config) throws Exception {
        TaskSpec task = config.task();
        List<Long> seeds = config.seeds();
        assertThat(seeds).as("produce --seed S --runs N writes seeds S, S + 1, ...")
                .containsExactlyElementsOf(LongStream.range(0, seeds.size()).mapToObj(r -> seeds.get(0) + r).toList());
        cluster.crosspropJar(selfContainedJar, COMMAND_TIMEOUT,
                "produce", "geoff",
                "--bootstrap-servers", cluster.bootstrapServers(),
                "--topic", config.kafka().topic(),
                "--partitions", Integer.toString(config.kafka().partitions()),
                "--format", config.kafka().format(),
                "--runs", Integer.toString(seeds.size()),
                "--seed", Long.toString(seeds.get(0)),
                "--inputs", Integer.toString(task.inputs()),
                "--features", Integer.toString(task.features()),
                "--beta", Double.toString(task.beta()),
                "--change-fraction", Double.toString(task.changeFraction()),
                "--examples-per-task", Integer.toString(task.examplesPerStage()),
                "--schedule", String.join(",", task.schedule()));
    }

    /** Reads the examples topic back, so that replay steps over exactly the records the job read. */
    private static Map<String, List<Example>> readExamples(ExperimentConfig config) throws Exception {
        Map<String, List<Example>> byRun = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                CommittedRecords.readAll(cluster.bootstrapServers(), config.kafka().topic(), READ_TIMEOUT)) {
            Example example = ExampleCodec.decode(record.value());
            byRun.computeIfAbsent(example.run(), run -> new ArrayList<>()).add(example);
        }
        assertThat(byRun.keySet()).as("runs on the examples topic").containsExactlyElementsOf(config.runIds());
        for (Map.Entry<String, List<Example>> run : byRun.entrySet()) {
            List<Long> indexes = run.getValue().stream().map(Example::index).toList();
            assertThat(indexes).as("indexes of run %s in topic order", run.getKey())
                    .containsExactlyElementsOf(LongStream.range(0, config.task().examplesPerRun()).boxed().toList());
        }
        return byRun;
    }

    private static String submit(ExperimentConfig config) throws Exception {
        return cluster.submitDetached(clusterJar, COMMAND_TIMEOUT,
                "--config", configFile(config).toString(),
                "--bootstrap-servers", cluster.bootstrapServers(),
                "--parallelism", Integer.toString(config.parallelism()),
                "--job-name", config.name());
    }

    private static String jobsOverviewState(String jobId) throws Exception {
        for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
            if (job.path("jid").asText().equals(jobId)) {
                return job.path("state").asText();
            }
        }
        return "(not listed)";
    }

    // --- checks -------------------------------------------------------------------------------

    /**
     * Checks the committed output topics of a finished job. Each (experiment, index) has one error
     * and one norm record, equal to the learner stepped over the same examples. Each learner and
     * bin has one aggregate per run count, and there are no dead letters.
     */
    private static void assertOutputsEqualReplayExactlyOnce(ExperimentConfig config) throws Exception {
        String bootstrap = cluster.bootstrapServers();
        List<String> duplicates = new ArrayList<>();
        Map<String, Map<Long, ErrorRecord>> errors = indexByExperiment(
                CommittedRecords.readAll(bootstrap, config.kafka().errorsTopic(), READ_TIMEOUT),
                bytes -> {
                    ErrorRecord record = RecordJson.parseError(bytes);
                    return new Keyed<>(record.experiment(), record.index(), record);
                },
                duplicates);
        Map<String, Map<Long, NormRecord>> norms = indexByExperiment(
                CommittedRecords.readAll(bootstrap, config.kafka().normsTopic(), READ_TIMEOUT),
                bytes -> {
                    NormRecord record = RecordJson.parseNorm(bytes);
                    return new Keyed<>(record.experiment(), record.index(), record);
                },
                duplicates);

        assertThat(duplicates).as("(experiment, index) pairs committed more than once").isEmpty();
        List<String> experiments = new ArrayList<>();
        for (String run : examplesByRun.keySet()) {
            for (LearnerSpec spec : config.learners()) {
                experiments.add(spec.experimentId(run));
            }
        }
        assertThat(errors.keySet()).as("experiments on %s", config.kafka().errorsTopic())
                .containsExactlyInAnyOrderElementsOf(experiments);
        assertThat(norms.keySet()).as("experiments on %s", config.kafka().normsTopic())
                .containsExactlyInAnyOrderElementsOf(experiments);

        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, List<Example>> run : examplesByRun.entrySet()) {
            for (LearnerSpec spec : config.learners()) {
                String experiment = spec.experimentId(run.getKey());
                Learner learner = Learner.create(spec.config(),
                        ExperimentSeeds.initialWeightsSeed(config.initSeed(), run.getKey()));
                compareWithReplay(experiment, spec.label(), run.getValue(), learner,
                        errors.get(experiment), norms.get(experiment), mismatches);
            }
        }
        assertThat(mismatches).as("records that differ from replay (first of each experiment)").isEmpty();

        assertAggregatesOncePerRunCount(config);
        assertThat(CommittedRecords.readAll(bootstrap, config.kafka().deadLetterTopic(), READ_TIMEOUT))
                .as("dead letters of %s", config.name()).isEmpty();
    }

    /**
     * Steps {@code learner} over the run's examples, as replay does, and records the first index
     * where the job's records differ: missing, another task or step, or a value that is not
     * bit-identical.
     */
    private static void compareWithReplay(String experiment, String label, List<Example> examples, Learner learner,
            Map<Long, ErrorRecord> errors, Map<Long, NormRecord> norms, List<String> mismatches) {
        if (errors.size() != examples.size() || norms.size() != examples.size()) {
            mismatches.add(experiment + ": " + errors.size() + " error and " + norms.size() + " norm records for "
                    + examples.size() + " examples");
            return;
        }
        for (Example example : examples) {
            StepResult expected = learner.step(example.x(), example.y());
            ErrorRecord error = errors.get(example.index());
            NormRecord norm = norms.get(example.index());
            String difference = error == null || norm == null ? "missing"
                    : !error.learner().equals(label) ? "learner " + error.learner()
                    : !error.task().equals(example.task()) ? "task " + error.task() + ", example's " + example.task()
                    : error.step() != expected.step() ? "step " + error.step() + ", replay's " + expected.step()
                    : !Double.valueOf(error.error()).equals(expected.error())
                            ? "error " + error.error() + ", replay's " + expected.error()
                    : !Double.valueOf(norm.uChange()).equals(expected.uChange())
                            ? "U change " + norm.uChange() + ", replay's " + expected.uChange()
                    : !Double.valueOf(norm.wChange()).equals(expected.wChange())
                            ? "W change " + norm.wChange() + ", replay's " + expected.wChange()
                    : null;
            if (difference != null) {
                mismatches.add(experiment + " index " + example.index() + ": " + difference);
                return;
            }
        }
    }

    /**
     * Checks that each learner and bin has one aggregate record for each run count 1, 2, ...,
     * runs: the aggregator emits one when a run completes the bin, so a duplicate or a gap means a
     * record was committed twice or lost.
     */
    private static void assertAggregatesOncePerRunCount(ExperimentConfig config) {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Integer>> runCounts = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record :
                CommittedRecords.readAll(cluster.bootstrapServers(), config.kafka().aggregatesTopic(), READ_TIMEOUT)) {
            JsonNode node;
            try {
                node = json.readTree(record.value());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("aggregate record is not JSON: "
                        + new String(record.value(), StandardCharsets.UTF_8), e);
            }
            String key = node.path("learner").asText() + " bin " + node.path("bin").asLong();
            runCounts.computeIfAbsent(key, k -> new ArrayList<>()).add(node.path("runs").asInt());
        }
        long bins = config.task().examplesPerRun() / config.output().aggregateBin();
        assertThat(runCounts).as("learner and bin keys on %s", config.kafka().aggregatesTopic())
                .hasSize((int) (config.learners().size() * bins));
        List<Integer> oncePerRunCount = LongStream.rangeClosed(1, config.seeds().size()).mapToObj(n -> (int) n).toList();
        runCounts.forEach((key, counts) -> assertThat(counts.stream().sorted().toList())
                .as("run counts of the aggregates of %s", key).isEqualTo(oncePerRunCount));
    }

    /** A decoded output record with its experiment and example index. */
    private record Keyed<T>(String experiment, long index, T record) {}

    private static <T> Map<String, Map<Long, T>> indexByExperiment(List<ConsumerRecord<byte[], byte[]>> records,
            java.util.function.Function<byte[], Keyed<T>> decode, List<String> duplicates) {
        Map<String, Map<Long, T>> byExperiment = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Keyed<T> keyed = decode.apply(record.value());
            T previous = byExperiment.computeIfAbsent(keyed.experiment(), k -> new HashMap<>())
                    .put(keyed.index(), keyed.record());
            if (previous != null) {
                duplicates.add(record.topic() + ": " + keyed.experiment() + " index " + keyed.index());
            }
        }
        return byExperiment;
    }

    /** Returns the repository root: the working directory of the job module's tests, or its parent. */
    private static Path findRepoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(dir, dir.getParent())) {
            if (candidate != null && Files.isRegularFile(candidate.resolve("docker/local-cluster.sh"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("docker/local-cluster.sh not found from " + dir
                + "; run the test from the repository root or the job module");
    }
}
