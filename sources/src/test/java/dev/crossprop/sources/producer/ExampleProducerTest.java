package dev.crossprop.sources.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleValidator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;

class ExampleProducerTest {

    /** Collects examples in memory; the destination contract without any I/O. */
    private static final class ListWriter implements ExampleWriter {
        final List<Example> examples = new ArrayList<>();
        boolean flushed;
        boolean closed;

        @Override
        public void write(Example example) {
            examples.add(example);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    private static final ExampleValidator VALIDATOR = ExampleValidator.regression(1, 1);

    private static Iterator<Example> run(String id, int length) {
        return LongStream.range(0, length)
                .mapToObj(i -> Example.regression(id, i, "A", new double[] {i}, new double[] {0}))
                .iterator();
    }

    @Test
    void blockOfOneInterleavesRunsExampleByExample() throws IOException {
        ListWriter writer = new ListWriter();
        StringWriter progress = new StringWriter();
        ExampleProducer producer =
                new ExampleProducer(
                        writer, VALIDATOR, 0, new PrintWriter(progress), Duration.ofSeconds(2), 1);

        long count = producer.produce(List.of(run("a", 3), run("b", 1), run("c", 2)), 6);

        List<String> order = new ArrayList<>();
        for (Example e : writer.examples) {
            order.add(e.run() + e.index());
        }
        assertThat(count).isEqualTo(6);
        assertThat(order).containsExactly("a0", "b0", "c0", "a1", "c1", "a2");
        assertThat(writer.flushed).isTrue();
        assertThat(writer.closed).isTrue();
        assertThat(progress.toString()).contains("Wrote 6 examples to a list");
    }

    @Test
    void runsTakeTurnsInBlocks() throws IOException {
        ListWriter writer = new ListWriter();
        ExampleProducer producer =
                new ExampleProducer(writer, VALIDATOR, 0, null, Duration.ofSeconds(2), 2);

        long count = producer.produce(List.of(run("a", 5), run("b", 1), run("c", 4)), -1);

        List<String> order = new ArrayList<>();
        for (Example e : writer.examples) {
            order.add(e.run() + e.index());
        }
        assertThat(count).isEqualTo(10);
        assertThat(order)
                .containsExactly("a0", "a1", "b0", "c0", "c1", "a2", "a3", "c2", "c3", "a4");
    }

    @Test
    void defaultBlockIsHundredExamples() throws IOException {
        ListWriter writer = new ListWriter();
        ExampleProducer producer =
                new ExampleProducer(writer, VALIDATOR, 0, null, Duration.ofSeconds(2));

        producer.produce(List.of(run("a", 150), run("b", 150)), -1);

        List<String> runs = new ArrayList<>();
        for (Example e : writer.examples) {
            runs.add(e.run());
        }
        assertThat(runs.subList(0, 100)).containsOnly("a");
        assertThat(runs.subList(100, 200)).containsOnly("b");
        assertThat(runs.subList(200, 250)).containsOnly("a");
        assertThat(runs.subList(250, 300)).containsOnly("b");
    }

    @Test
    void blockBelowOneIsRejected() {
        assertThatThrownBy(
                        () -> new ExampleProducer(
                                new ListWriter(), VALIDATOR, 0, null, Duration.ofSeconds(2), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Block is 0 examples")
                .hasMessageContaining("--block");
    }

    @Test
    void invalidExampleStopsTheWrite() {
        ListWriter writer = new ListWriter();
        Iterator<Example> bad =
                List.of(
                                Example.regression(
                                        "a", 0, "A", new double[] {Double.NaN}, new double[] {0}))
                        .iterator();
        ExampleProducer producer =
                new ExampleProducer(writer, VALIDATOR, 0, null, Duration.ofSeconds(2));

        assertThatThrownBy(() -> producer.produce(List.of(bad), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite-input")
                .hasMessageContaining("a#0");
        assertThat(writer.examples).isEmpty();
        assertThat(writer.closed).isTrue();
    }

    @Test
    void requestStopEndsAnUnboundedRun() throws Exception {
        ListWriter writer = new ListWriter();
        StringWriter progress = new StringWriter();
        ExampleProducer producer =
                new ExampleProducer(
                        writer, VALIDATOR, 1000, new PrintWriter(progress), Duration.ofSeconds(2));
        Iterator<Example> endless =
                LongStream.iterate(0, i -> i + 1)
                        .mapToObj(
                                i ->
                                        Example.regression(
                                                "live", i, "A", new double[] {1}, new double[] {0}))
                        .iterator();
        Thread stopper =
                new Thread(
                        () -> {
                            while (producer.written() < 20) {
                                Thread.onSpinWait();
                            }
                            producer.requestStop();
                        });
        stopper.start();

        long count = producer.produce(List.of(endless), -1);

        stopper.join(10_000);
        assertThat(count).isBetween(20L, 1000L);
        assertThat(writer.examples).hasSize((int) count);
        assertThat(writer.flushed).isTrue();
        assertThat(progress.toString()).contains("Stopped: wrote " + count + " examples");
    }

    @Test
    void negativeRateIsRejected() {
        assertThatThrownBy(
                        () ->
                                new ExampleProducer(
                                        new ListWriter(),
                                        VALIDATOR,
                                        -1,
                                        null,
                                        Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Rate is -1.0");
    }
}
