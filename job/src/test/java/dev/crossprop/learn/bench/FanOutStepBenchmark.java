package dev.crossprop.learn.bench;

import dev.crossprop.learn.Learner;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Learner steps in the order the streaming job takes them for {@code conf/geoff.yaml}: each
 * example goes to the 8 learners of its run (crossprop and crossprop-approx with eta 0 and 0.5,
 * backprop, momentum, RMSProp, Adam; 20-500-1, tanh, step size 0.0005), one after the other, and
 * the runs take turns example by example. With {@code runs = 1} the 8 models (about 1.9 MB)
 * stay in the processor caches; with 30 runs, the 240 models (about 56 MB) exceed the 32 MiB L3
 * cache of the benchmark machine, so each step reads its model from memory. This is the learners'
 * own time under the job's access pattern, the baseline for the pipeline's overhead in {@code
 * docs/benchmarks.md}. Scores are per step (one example learned by one learner), the mean over
 * the 8 learners.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FanOutStepBenchmark {

    private static final int EXAMPLES = 512;
    private static final int LEARNERS = 8;

    @Param({"1", "5", "30"})
    public int runs;

    private Learner[][] learners;
    private double[][] inputs;
    private double[][] targets;
    private int nextRun;
    private int nextExample;

    @Setup(Level.Trial)
    public void setUp() {
        learners = new Learner[runs][];
        for (int r = 0; r < runs; r++) {
            learners[r] = new Learner[] {
                create(LearnerKind.CROSSPROP, 0.0, r),
                create(LearnerKind.CROSSPROP, 0.5, r),
                create(LearnerKind.CROSSPROP_APPROX, 0.0, r),
                create(LearnerKind.CROSSPROP_APPROX, 0.5, r),
                create(LearnerKind.BACKPROP, 0.0, r),
                create(LearnerKind.MOMENTUM, 0.0, r),
                create(LearnerKind.RMSPROP, 0.0, r),
                create(LearnerKind.ADAM, 0.0, r),
            };
        }
        SplittableRandom random = new SplittableRandom(2L);
        inputs = new double[EXAMPLES][20];
        targets = new double[EXAMPLES][1];
        for (int t = 0; t < EXAMPLES; t++) {
            for (int i = 0; i < 20; i++) {
                inputs[t][i] = random.nextBoolean() ? 1.0 : 0.0;
            }
            targets[t][0] = random.nextDouble(-2.0, 2.0);
        }
    }

    private static Learner create(LearnerKind kind, double eta, int run) {
        LearnerConfig.Builder builder = LearnerConfig.builder(kind, 20, 500, 1).stepSize(0.0005);
        if (kind == LearnerKind.CROSSPROP || kind == LearnerKind.CROSSPROP_APPROX) {
            builder.eta(eta);
        }
        return Learner.create(builder.build(), 1000L * run + kind.ordinal());
    }

    /** Steps the 8 learners of the next run, in turn, on that run's next example. */
    @Benchmark
    @OperationsPerInvocation(LEARNERS)
    public double stepOneExample() {
        Learner[] run = learners[nextRun];
        double[] x = inputs[nextExample];
        double[] y = targets[nextExample];
        double sum = 0.0;
        for (Learner learner : run) {
            sum += learner.step(x, y).error();
        }
        nextRun = (nextRun + 1) % runs;
        if (nextRun == 0) {
            nextExample = (nextExample + 1) % EXAMPLES;
        }
        return sum;
    }
}
