package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.TaskKind;
import dev.crossprop.job.flink.AggregateAcrossRunsFunction;
import dev.crossprop.job.flink.BoundedRestoreKafkaSource;
import dev.crossprop.job.flink.DeadLetterJson;
import dev.crossprop.job.flink.ExperimentPlacement;
import dev.crossprop.job.flink.FanOutFunction;
import dev.crossprop.job.flink.LearnFunction;
import dev.crossprop.job.flink.ParseExamplesFunction;
import dev.crossprop.job.flink.RawExampleDeserializer;
import dev.crossprop.job.types.AggregateRecord;
import dev.crossprop.job.types.DeadLetter;
import dev.crossprop.job.types.ExampleSerializer;
import dev.crossprop.job.types.ExperimentKey;
import dev.crossprop.job.types.ExplicitTypeInfo;
import dev.crossprop.job.types.RawExample;
import dev.crossprop.job.types.RoutedExample;
import dev.crossprop.job.types.RunBin;
import dev.crossprop.sinks.file.LineFileSink;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;
import dev.crossprop.sources.Example;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The streaming job: Kafka examples through keyed learners to error, weight-norm, aggregate and
 * dead-letter streams. Every operator has a stable uid, so savepoints restore across versions of
 * this topology that keep them.
 */
public final class CrosspropJob {

    /** Maximum parallelism, fixed so that keyed state can be restored at any parallelism up to it. */
    public static final int MAX_PARALLELISM = ExperimentConfig.MAX_PARALLELISM;

    /** Header of the aggregate CSV files. */
    public static final String AGGREGATE_HEADER =
            "learner,task,bin,first_index,last_index,mean_error,standard_error,runs,complete";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CrosspropJob() {}

    /** Streams the job builds, for the caller to attach further sinks or to test. */
    public record Streams(
            DataStream<ErrorRecord> errors,
            DataStream<NormRecord> norms,
            DataStream<AggregateRecord> aggregates,
            DataStream<DeadLetter> deadLetters) {}

    /** Adds the job to {@code env}: source, parse, fan-out, key, learn, aggregate and the sinks. */
    public static Streams build(StreamExecutionEnvironment env, ExperimentConfig config, JobOptions options) {
        return build(env, config, options, UnaryOperator.identity());
    }

    /**
     * Adds the job to {@code env} with one more step right after the source, in the source's
     * task. Tests use it to slow the source down or to inject failures. The step must keep every
     * record and its order, or the job's output changes.
     */
    public static Streams build(
            StreamExecutionEnvironment env, ExperimentConfig config, JobOptions options,
            UnaryOperator<DataStream<RawExample>> afterSource) {
        Streams streams = buildStreams(env, config, options, afterSource);
        addSinks(streams, config, options);
        return streams;
    }

    /**
     * Adds the job without its sinks to {@code env}, so that a caller can transform the streams
     * before {@link #addSinks}. {@code afterSource} is applied as in {@link #build(
     * StreamExecutionEnvironment, ExperimentConfig, JobOptions, UnaryOperator)}.
     */
    public static Streams buildStreams(
            StreamExecutionEnvironment env, ExperimentConfig config, JobOptions options,
            UnaryOperator<DataStream<RawExample>> afterSource) {
        env.setMaxParallelism(MAX_PARALLELISM);

        // Source: the examples topic, from the earliest offset. Bounded runs stop at the end
        // offsets seen when the job first starts, also after a restore from a savepoint.
        BoundedRestoreKafkaSource<RawExample> source = new BoundedRestoreKafkaSource<>(kafkaSource(config, options));
        DataStream<RawExample> raw = afterSource.apply(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "examples").uid("examples-source"));

        // Parse and validate, keyed by record key (the run id); failures and repeated indexes go
        // to the dead-letter output.
        SingleOutputStreamOperator<Example> examples = raw
                .keyBy(RawExample::keyText, Types.STRING)
                .process(new ParseExamplesFunction(config.task()), new ExplicitTypeInfo<>(Example.class, () -> ExampleSerializer.INSTANCE))
                .uid("parse-examples")
                .name("parse and validate");

        // Fan out each example of a run to every learner: one experiment per (run, learner),
        // with keys that spread the configured experiments evenly over the learn subtasks.
        ExperimentPlacement placement = new ExperimentPlacement(config.runIds(), config.learners(), MAX_PARALLELISM);
        DataStream<RoutedExample> routed = examples
                .flatMap(new FanOutFunction(placement), RoutedExample.typeInfo())
                .uid("fan-out")
                .name("fan out to learners");

        // Key by experiment and learn; one error and one norm record per example.
        SingleOutputStreamOperator<ErrorRecord> errors = routed
                .keyBy(RoutedExample::key, ExperimentKey.typeInfo())
                .process(new LearnFunction(config))
                .uid("learn")
                .name("learn");
        DataStream<NormRecord> norms = errors.getSideOutput(LearnFunction.NORMS);

        // Average each learner's bins across runs, for dashboards.
        int expectedRuns = config.task().kind() == TaskKind.LIVE ? 0 : config.seeds().size();
        DataStream<AggregateRecord> aggregates = errors.getSideOutput(LearnFunction.RUN_BINS)
                .keyBy(AggregateAcrossRunsFunction::keyOf, Types.STRING)
                .process(new AggregateAcrossRunsFunction(config.output().aggregateBin(), expectedRuns))
                .uid("aggregate-across-runs")
                .name("aggregate across runs");

        DataStream<DeadLetter> deadLetters = examples.getSideOutput(ParseExamplesFunction.DEAD_LETTERS);
        return new Streams(errors, norms, aggregates, deadLetters);
    }

    /** Adds the file sinks when {@code options} name a results folder, and the Kafka sinks when asked. */
    public static void addSinks(Streams streams, ExperimentConfig config, JobOptions options) {
        if (options.resultsDir() != null) {
            addFileSinks(streams, options.resultsDir());
        }
        if (options.kafkaOutputs()) {
            KafkaOutputs.addSinks(streams, config, options);
        }
    }

    private static KafkaSource<RawExample> kafkaSource(ExperimentConfig config, JobOptions options) {
        var builder = KafkaSource.<RawExample>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(config.kafka().topic())
                .setGroupId("crossprop-" + config.name())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawExampleDeserializer())
                // Examples of one run are in one partition; read only what producers committed.
                .setProperty("isolation.level", "read_committed");
        if (options.bounded()) {
            // A bounded source never discovers partitions; the builder turns discovery off itself.
            builder.setBounded(OffsetsInitializer.latest());
        } else {
            builder.setProperty("partition.discovery.interval.ms", "30000");
        }
        return builder.build();
    }

    private static void addFileSinks(Streams streams, String resultsDir) {
        streams.errors().sinkTo(LineFileSink.create(resultsDir + "/errors", RecordCsv.ERROR_HEADER, RecordCsv::toCsv, ".csv"))
                .uid("errors-file-sink").name("errors to CSV");
        streams.norms().sinkTo(LineFileSink.create(resultsDir + "/norms", RecordCsv.NORM_HEADER, RecordCsv::toCsv, ".csv"))
                .uid("norms-file-sink").name("norms to CSV");
        streams.aggregates().sinkTo(LineFileSink.create(resultsDir + "/aggregates", AGGREGATE_HEADER, CrosspropJob::aggregateCsv, ".csv"))
                .uid("aggregates-file-sink").name("aggregates to CSV");
        streams.deadLetters().sinkTo(LineFileSink.create(resultsDir + "/dead-letters", null, DeadLetterJson::toJson, ".jsonl"))
                .uid("dead-letters-file-sink").name("dead letters to JSON lines");
    }

    static String aggregateCsv(AggregateRecord record) {
        return String.join(",",
                record.learner(),
                record.task(),
                Long.toString(record.bin()),
                Long.toString(record.firstIndex()),
                Long.toString(record.lastIndex()),
                finite(record.meanError()),
                finite(record.standardError()),
                Integer.toString(record.runs()),
                Boolean.toString(record.complete()).toLowerCase(Locale.ROOT));
    }

    static byte[] aggregateJson(AggregateRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("learner", record.learner());
        node.put("task", record.task());
        node.put("bin", record.bin());
        node.put("first_index", record.firstIndex());
        node.put("last_index", record.lastIndex());
        putFinite(node, "mean_error", record.meanError());
        putFinite(node, "standard_error", record.standardError());
        node.put("runs", record.runs());
        node.put("complete", record.complete());
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes a double, or null when it is not finite: strict JSON has no NaN or Infinity. */
    private static void putFinite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static String finite(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "";
    }
}
