package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.TaskKind;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.InvalidExampleException;
import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Checks, before a bounded job starts, that the examples topic contains the examples that the
 * experiment file generates. An experiment file with a generated task defines every example, but
 * the topic may have been written by hand with other settings, with other runs, or twice. The
 * job would then learn from other data than the file defines, and nothing would show it.
 *
 * <p>Two checks, both cheap: the topic contains exactly runs x examples per run records, and the
 * first record of each partition equals the example that the file generates at that run and
 * index. Settings that only change later examples, such as {@code change_fraction}, pass the
 * second check unnoticed.
 */
public final class ExamplesTopicCheck {

    private ExamplesTopicCheck() {}

    /**
     * Runs both checks for an experiment with a generated task; does nothing for a live task.
     *
     * @throws IllegalStateException naming the topic, what differs and how to write the topic
     *     again, or when the broker does not reply within {@code timeout}
     */
    public static void check(ExperimentConfig config, String bootstrapServers, Duration timeout) {
        if (config.task().kind() == TaskKind.LIVE) {
            return;
        }
        String topic = config.kafka().topic();
        String where = "Examples topic '" + topic + "' at " + bootstrapServers;

        long records = KafkaAdmin.recordCount(bootstrapServers, topic, timeout);
        long perRun = config.task().examplesPerRun();
        long expected = perRun * config.seeds().size();
        if (records != expected) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s contains %,d record%s, but %s generates %,d examples (%d runs x %,d). %s",
                    where, records, records == 1 ? "" : "s", config.source(), expected, config.seeds().size(), perRun,
                    records == 0 ? fix(config) : "It was written with other runs or settings, or twice. " + fix(config)));
        }

        List<Iterator<Example>> runs;
        try {
            runs = ExperimentExamples.runs(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the examples of " + config.source() + " failed: " + e.getMessage(), e);
        }
        List<String> runIds = config.runIds();
        for (ConsumerRecord<byte[], byte[]> record : KafkaAdmin.firstRecords(bootstrapServers, topic, timeout)) {
            String position = "partition " + record.partition() + ", offset " + record.offset();
            Example found;
            try {
                found = ExampleCodec.decode(record.value());
            } catch (InvalidExampleException e) {
                throw new IllegalStateException(where + " contains an invalid example at " + position + ": "
                        + e.getMessage() + ". " + fix(config), e);
            }

            int run = runIds.indexOf(found.run());
            if (run < 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s contains run '%s' (%s), which %s does not generate: its runs are %s to %s. %s",
                        where, found.run(), position, config.source(), runIds.get(0), runIds.get(runIds.size() - 1),
                        fix(config)));
            }
            Example generated = exampleAt(runs.get(run), found.index());
            String difference = generated == null
                    ? "the file's run has no example " + found.index()
                    : difference(found, generated);
            if (difference != null) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s contains example %d of run %s (%s), which differs from the one %s generates: %s."
                                + " It was written with other task settings. %s",
                        where, found.index(), found.run(), position, config.source(), difference, fix(config)));
            }
        }
    }

    private static String fix(ExperimentConfig config) {
        return "Write the examples from the file into an empty topic: delete the topic and use `run --produce`"
                + " (or `local`), or set another kafka.topic in " + config.source() + ".";
    }

    /** Returns the example at {@code index} of a generated run, or null when the run is shorter. */
    private static Example exampleAt(Iterator<Example> run, long index) {
        while (run.hasNext()) {
            Example example = run.next();
            if (example.index() == index) {
                return example;
            }
        }
        return null;
    }

    /** Describes the first field in which two examples of one run and index differ, or returns null. */
    public static String difference(Example found, Example generated) {
        if (!found.task().equals(generated.task())) {
            return "task '" + found.task() + "' instead of '" + generated.task() + "'";
        }
        String inputs = arrayDifference("input", found.x(), generated.x());
        if (inputs != null) {
            return inputs;
        }
        if (found.isClassification() != generated.isClassification()) {
            return found.isClassification() ? "a class label instead of regression targets" : "regression targets instead of a class label";
        }
        if (found.isClassification()) {
            return found.label() == generated.label() ? null : "label " + found.label() + " instead of " + generated.label();
        }
        return arrayDifference("target", found.y(), generated.y());
    }

    private static String arrayDifference(String name, double[] found, double[] generated) {
        if (found.length != generated.length) {
            return found.length + " " + name + "s instead of " + generated.length;
        }
        for (int i = 0; i < found.length; i++) {
            if (Double.doubleToLongBits(found[i]) != Double.doubleToLongBits(generated[i])) {
                return name + " " + i + " is " + found[i] + " instead of " + generated[i];
            }
        }
        return null;
    }
}
