package dev.crossprop.job.bench;

import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sinks.records.RecordCsv;
import dev.crossprop.sinks.records.RecordJson;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The output encoding of one learner step: its error record and its weight-norm record, as JSON
 * for the Kafka topics and as CSV lines for the files. The records cycle through the 240
 * experiments of {@code conf/geoff.yaml} with errors and norms of the sizes that GEOFF gives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordEncodingBenchmark {

    private static final String[] LEARNERS = {"crossprop-eta0", "crossprop-eta0.5", "crossprop-approx-eta0",
        "crossprop-approx-eta0.5", "backprop", "momentum", "rmsprop", "adam"};

    private ErrorRecord[] errors;
    private NormRecord[] norms;
    private int next;

    @Setup
    public void createRecords() {
        SplittableRandom random = new SplittableRandom(1);
        errors = new ErrorRecord[30 * LEARNERS.length];
        norms = new NormRecord[errors.length];
        for (int i = 0; i < errors.length; i++) {
            String run = "geoff-seed-" + (1 + i / LEARNERS.length);
            String learner = LEARNERS[i % LEARNERS.length];
            long index = random.nextLong(30_000);
            errors[i] = new ErrorRecord(run + "/" + learner, run, learner, "A", index, index + 1,
                    random.nextDouble() * 200, Double.NaN, 1, false);
            norms[i] = new NormRecord(run + "/" + learner, run, learner, "A", index, index + 1,
                    random.nextDouble() * 20, random.nextDouble() * 20, 1, false);
        }
    }

    /** Returns the total bytes, so that the JIT compiler cannot drop the encoding. */
    @Benchmark
    public int jsonPerStep() {
        int i = next;
        next = (i + 1) % errors.length;
        return RecordJson.toJson(errors[i]).length + RecordJson.toJson(norms[i]).length;
    }

    @Benchmark
    public int csvPerStep() {
        int i = next;
        next = (i + 1) % errors.length;
        return RecordCsv.toCsv(errors[i]).length() + RecordCsv.toCsv(norms[i]).length();
    }
}
