package dev.crossprop.sources.producer;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.RepositoryFiles;
import dev.crossprop.sources.WireFormat;
import dev.crossprop.sources.geoff.GeoffConfig;
import dev.crossprop.sources.geoff.GeoffGenerator;
import dev.crossprop.sources.kafka.EmbeddedKafkaBroker;
import dev.crossprop.sources.mnist.IdxReader;
import dev.crossprop.sources.mnist.LabeledImages;
import dev.crossprop.sources.mnist.MnistConfig;
import dev.crossprop.sources.mnist.MnistTasks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures the producer's rate in examples per second against an embedded broker, for GEOFF and
 * MNIST in both formats and a few producer settings. Not a test: run it by hand, as described in
 * docs/benchmarks.md, and copy the printed table there.
 *
 * <p>Each case writes to its own topic of 4 partitions, after one untimed warm-up case that lets
 * the JIT compile the generator, the encoders and the client.
 */
public final class ProducerBenchmark {

    private static final GeoffConfig GEOFF = GeoffConfig.defaults(0);
    private static final int GEOFF_RUNS = 10;

    private ProducerBenchmark() {}

    public static void main(String[] args) throws Exception {
        LabeledImages sample =
                IdxReader.read(
                        RepositoryFiles.resolve(MnistConfig.DEFAULT_IMAGES.toString()),
                        RepositoryFiles.resolve(MnistConfig.DEFAULT_LABELS.toString()));
        Supplier<List<Iterator<Example>>> geoff = () -> geoffRuns(GEOFF_RUNS);
        Supplier<List<Iterator<Example>>> mnist =
                () -> List.of(new MnistTasks(MnistConfig.builder().build(), sample).iterator());
        ExampleValidator geoffValidator = ExampleValidator.regression(GEOFF.inputs(), 1);
        ExampleValidator mnistValidator = ExampleValidator.classification(784, 10);

        System.out.printf(
                Locale.ROOT,
                "generate only: GEOFF %,.0f/s, MNIST %,.0f/s%n",
                generateRate(geoff),
                generateRate(mnist));
        System.out.printf(
                Locale.ROOT,
                "generate and encode binary: GEOFF %,.0f/s%n",
                encodeRate(geoff, WireFormat.BINARY));
        System.out.printf(
                Locale.ROOT,
                "generate and encode JSON: GEOFF %,.0f/s%n",
                encodeRate(geoff, WireFormat.JSON));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String servers = broker.bootstrapServers();
            int topic = 0;
            // Warm-up, not reported.
            run(servers, "warmup", () -> geoffRuns(2), geoffValidator, WireFormat.BINARY, Map.of());

            System.out.println(
                    "| stream | format | settings | examples | seconds | examples/s | MB/s"
                            + " | CPU µs per example |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            List<Map<String, Object>> settings =
                    List.of(
                            Map.of(),
                            Map.of("compression.type", "none"),
                            Map.of("linger.ms", 0, "batch.size", 16384));
            for (Map<String, Object> overrides : settings) {
                for (WireFormat format : WireFormat.values()) {
                    report(
                            "GEOFF",
                            format,
                            overrides,
                            run(
                                    servers,
                                    "geoff-" + topic++,
                                    geoff,
                                    geoffValidator,
                                    format,
                                    overrides));
                }
            }
            for (Map<String, Object> overrides : settings.subList(0, 2)) {
                for (WireFormat format : WireFormat.values()) {
                    report(
                            "MNIST",
                            format,
                            overrides,
                            run(
                                    servers,
                                    "mnist-" + topic++,
                                    mnist,
                                    mnistValidator,
                                    format,
                                    overrides));
                }
            }
        }
    }

    private static List<Iterator<Example>> geoffRuns(int count) {
        List<Iterator<Example>> runs = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            runs.add(new GeoffGenerator(GEOFF.withSeed(r)).iterator());
        }
        return runs;
    }

    private static double generateRate(Supplier<List<Iterator<Example>>> runs) {
        long start = System.nanoTime();
        long count = 0;
        double sink = 0;
        for (Iterator<Example> run : runs.get()) {
            while (run.hasNext()) {
                sink += run.next().x()[0];
                count++;
            }
        }
        if (sink < 0) {
            System.out.println(sink);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double encodeRate(Supplier<List<Iterator<Example>>> runs, WireFormat format) {
        long start = System.nanoTime();
        long count = 0;
        long bytes = 0;
        for (Iterator<Example> run : runs.get()) {
            while (run.hasNext()) {
                bytes += ExampleCodec.encode(run.next(), format).length;
                count++;
            }
        }
        if (bytes < 0) {
            System.out.println(bytes);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Result of one case: examples, wall-clock seconds, CPU seconds of this process (generator,
     * producer and the in-process broker together), and the mean record value size in bytes.
     */
    private record Result(long examples, double seconds, double cpuSeconds, double meanBytes) {}

    /** Returns the CPU time of this JVM in seconds, all threads together. */
    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    private static Result run(
            String servers,
            String topic,
            Supplier<List<Iterator<Example>>> runs,
            ExampleValidator validator,
            WireFormat format,
            Map<String, Object> overrides)
            throws IOException {
        // The mean value size over the first 1000 examples, measured outside the timed part.
        Iterator<Example> first = runs.get().get(0);
        long bytes = 0;
        int sampled = 0;
        for (; sampled < 1000 && first.hasNext(); sampled++) {
            bytes += ExampleCodec.encode(first.next(), format).length;
        }
        List<Iterator<Example>> iterators = runs.get();
        KafkaExampleWriter writer =
                KafkaExampleWriter.open(
                        servers, topic, 4, format, Duration.ofSeconds(30), overrides);
        long start = System.nanoTime();
        double cpuStart = processCpuSeconds();
        // Block 1: the runs interleaved example by example, as the recorded figures were taken.
        long count =
                new ExampleProducer(writer, validator, 0, null, Duration.ofSeconds(2), 1)
                        .produce(iterators, -1);
        return new Result(
                count,
                (System.nanoTime() - start) / 1e9,
                processCpuSeconds() - cpuStart,
                (double) bytes / sampled);
    }

    private static void report(
            String stream, WireFormat format, Map<String, Object> overrides, Result result) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %,d | %.1f | %,.0f | %.1f | %.1f |%n",
                stream,
                format.id(),
                overrides.isEmpty() ? "defaults" : overrides.toString(),
                result.examples(),
                result.seconds(),
                result.examples() / result.seconds(),
                result.examples() * result.meanBytes() / 1e6 / result.seconds(),
                result.cpuSeconds() * 1e6 / result.examples());
    }
}
