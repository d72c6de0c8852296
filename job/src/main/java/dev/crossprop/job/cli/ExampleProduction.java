package dev.crossprop.job.cli;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.producer.ExampleProducer;
import dev.crossprop.sources.producer.KafkaExampleWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/** Writes an experiment's generated examples to its topic, with progress lines. */
final class ExampleProduction {

    private ExampleProduction() {}

    static long produce(ExperimentConfig config, String servers, List<Iterator<Example>> runs, PrintStream progress)
            throws IOException {
        TaskSpec task = config.task();
        KafkaExampleWriter writer = KafkaExampleWriter.open(
                servers, config.kafka().topic(), config.kafka().partitions(),
                WireFormat.fromId(config.kafka().format()), KafkaExampleWriter.DEFAULT_TIMEOUT);
        PrintWriter progressWriter = new PrintWriter(new java.io.OutputStreamWriter(progress, StandardCharsets.UTF_8), true);
        long total = task.examplesPerRun() * config.seeds().size();
        return new ExampleProducer(writer, task.validator(), 0, progressWriter, ExampleProducer.DEFAULT_PROGRESS_INTERVAL)
                .produce(runs, total);
    }
}
