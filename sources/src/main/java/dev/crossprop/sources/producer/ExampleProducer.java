package dev.crossprop.sources.producer;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.InvalidExampleException;
import dev.crossprop.sources.WireFormat;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the examples of several runs to one destination, validating each example first.
 *
 * <p>Runs take turns in blocks: {@code block} examples of run 0, then of run 1, ..., then run 0
 * again, so that all runs progress together; a run that ends leaves the rotation, and each run's
 * examples keep their order. Blocks of {@value #DEFAULT_BLOCK} (the default) let the streaming
 * job step the same few models for many records in a row, which keeps them in the processor's
 * cache. At GEOFF size a learner step took about 25 us with 30 runs taken example by example and
 * 9 us with one run at a time (docs/benchmarks.md). A block of 1 interleaves the runs example by
 * example. With a rate, the producer paces examples to that many per second over the whole
 * write. Without one, it writes as fast as the destination accepts.
 *
 * <p>{@link #requestStop()} may be called from another thread, e.g. a shutdown hook: the producer
 * then stops after the current example, flushes and reports what it wrote.
 */
public final class ExampleProducer {

    /** Examples of one run written before the next run's turn, unless another block is given. */
    public static final int DEFAULT_BLOCK = 100;

    /** Progress lines are printed at most this often. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private final ExampleWriter writer;
    private final ExampleValidator validator;
    private final double rate;
    private final PrintWriter progress;
    private final Duration progressInterval;
    private final int block;
    private volatile boolean stopRequested;
    private volatile long written;

    /** Creates a producer that writes the runs in blocks of {@value #DEFAULT_BLOCK}. */
    public ExampleProducer(
            ExampleWriter writer,
            ExampleValidator validator,
            double rate,
            PrintWriter progress,
            Duration progressInterval) {
        this(writer, validator, rate, progress, progressInterval, DEFAULT_BLOCK);
    }

    /**
     * Creates a producer.
     *
     * @param writer the destination; {@link #produce} closes it
     * @param validator checks every example before it is written
     * @param rate examples per second, or 0 for no pacing
     * @param progress where to print progress and the final count, or null for silence
     * @param progressInterval the minimum time between progress lines
     * @param block examples of one run written before the next run's turn, at least 1
     */
    public ExampleProducer(
            ExampleWriter writer,
            ExampleValidator validator,
            double rate,
            PrintWriter progress,
            Duration progressInterval,
            int block) {
        if (block < 1) {
            throw new IllegalArgumentException(
                    "Block is " + block + " examples; use at least 1 (1 interleaves the runs"
                            + " example by example; --block).");
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(
                    "Rate is "
                            + rate
                            + " examples per second; use a positive number, or 0 to"
                            + " write as fast as possible (--rate).");
        }
        this.writer = writer;
        this.validator = validator;
        this.rate = rate;
        this.progress = progress;
        this.progressInterval = progressInterval;
        this.block = block;
    }

    /**
     * Writes runs to a Kafka topic, creating it when missing, without pacing or progress output.
     * The plain entry point for programs such as the job's local runner.
     *
     * @return the number of examples written
     * @throws IOException if the broker cannot be reached within {@link
     *     KafkaExampleWriter#DEFAULT_TIMEOUT} or a write fails
     */
    public static long produceToKafka(
            String bootstrapServers,
            String topic,
            int partitions,
            WireFormat format,
            List<? extends Iterator<Example>> runs,
            ExampleValidator validator)
            throws IOException {
        KafkaExampleWriter writer =
                KafkaExampleWriter.open(
                        bootstrapServers,
                        topic,
                        partitions,
                        format,
                        KafkaExampleWriter.DEFAULT_TIMEOUT);
        return new ExampleProducer(writer, validator, 0, null, DEFAULT_PROGRESS_INTERVAL)
                .produce(runs, -1);
    }

    /**
     * Writes every run to the end, or until {@link #requestStop()}, then flushes and closes the
     * writer.
     *
     * @param runs one iterator per run
     * @param total the number of examples over all runs for progress lines, or -1 if unknown
     * @return the number of examples written
     * @throws IllegalArgumentException if an example is invalid; the message names the example and
     *     the rule it breaks
     * @throws IOException if the destination fails
     */
    public long produce(List<? extends Iterator<Example>> runs, long total) throws IOException {
        ProgressReporter reporter = new ProgressReporter(progress, progressInterval, total);
        List<Iterator<Example>> active = new ArrayList<>(runs);
        long startNanos = System.nanoTime();
        long count = 0;
        String outcome = "Failed after writing";
        try (writer) {
            while (!active.isEmpty() && !stopRequested) {
                for (Iterator<Iterator<Example>> it = active.iterator(); it.hasNext(); ) {
                    Iterator<Example> run = it.next();
                    for (int b = 0; b < block && run.hasNext() && !stopRequested; b++) {
                        Example example = run.next();
                        validate(example);
                        pace(startNanos, count);
                        writer.write(example);
                        count++;
                        written = count;
                        reporter.update(count);
                    }
                    if (stopRequested) {
                        break;
                    }
                    if (!run.hasNext()) {
                        it.remove();
                    }
                }
            }
            writer.flush();
            outcome = stopRequested ? "Stopped: wrote" : "Wrote";
        } finally {
            reporter.finish(count, outcome, writer.describe());
        }
        return count;
    }

    private void validate(Example example) {
        try {
            validator.validate(example);
        } catch (InvalidExampleException e) {
            throw new IllegalArgumentException(
                    "Refusing to write an invalid example ("
                            + e.reason().id()
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }

    private void pace(long startNanos, long count) {
        if (rate == 0) {
            return;
        }
        long dueNanos = startNanos + (long) (count * 1e9 / rate);
        long waitNanos;
        while ((waitNanos = dueNanos - System.nanoTime()) > 0 && !stopRequested) {
            LockSupport.parkNanos(waitNanos);
        }
    }

    /** Asks {@link #produce} to stop after the current example; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Returns the number of examples written so far; safe from any thread. */
    public long written() {
        return written;
    }
}
