package dev.crossprop.learn.bench;

import dev.crossprop.learn.Learner;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;
import dev.crossprop.learn.OutputKind;
import dev.crossprop.learn.StepResult;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one learning step at the two network sizes of the crossprop paper (Veeriah, Zhang and
 * Sutton, 2017), one thread, double precision.
 *
 * <ul>
 *   <li>{@code geoff}: 20-500-1 regression, tanh, inputs uniform on {0, 1} (about half of them 0,
 *       as in GEOFF), targets from N(0, 1).
 *   <li>{@code mnist}: 784-1024-10 classification, tanh, softmax, inputs like MNIST images: each
 *       pixel nonzero with probability 0.19 and then uniform in (0, 1], labels uniform.
 * </ul>
 *
 * Each invocation is one step on the next of 512 pregenerated examples, so the learner keeps
 * learning across the run with that paper's step size 0.0005. Run with the {@code bench} profile
 * of the job module; {@code docs/benchmarks.md} has the command and results.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LearnerStepBenchmark {

    private static final int EXAMPLES = 512;

    /** Learner and size, as {@code learner@size}. */
    @Param({
        "crossprop@geoff",
        "crossprop-approx@geoff",
        "backprop@geoff",
        "momentum@geoff",
        "rmsprop@geoff",
        "adam@geoff",
        "crossprop-approx@mnist",
        "backprop@mnist",
        "momentum@mnist",
        "rmsprop@mnist",
        "adam@mnist",
        "crossprop@mnist",
    })
    public String learnerAtSize;

    private Learner learner;
    private double[][] inputs;
    private double[][] targets;
    private int[] labels;
    private boolean classification;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = learnerAtSize.split("@");
        LearnerKind kind = LearnerKind.fromId(parts[0]);
        boolean mnist = parts[1].equals("mnist");
        int m = mnist ? 784 : 20;
        int n = mnist ? 1024 : 500;
        int k = mnist ? 10 : 1;
        classification = mnist;
        LearnerConfig config =
                LearnerConfig.builder(kind, m, n, k)
                        .outputKind(mnist ? OutputKind.CLASSIFICATION : OutputKind.REGRESSION)
                        .stepSize(0.0005)
                        .build();
        learner = Learner.create(config, 1L);

        SplittableRandom random = new SplittableRandom(2L);
        inputs = new double[EXAMPLES][m];
        targets = new double[EXAMPLES][k];
        labels = new int[EXAMPLES];
        for (int t = 0; t < EXAMPLES; t++) {
            for (int i = 0; i < m; i++) {
                if (mnist) {
                    inputs[t][i] = random.nextDouble() < 0.19 ? 1.0 - random.nextDouble() : 0.0;
                } else {
                    inputs[t][i] = random.nextBoolean() ? 1.0 : 0.0;
                }
            }
            for (int o = 0; o < k; o++) {
                targets[t][o] = random.nextDouble(-2.0, 2.0);
            }
            labels[t] = random.nextInt(k);
        }
    }

    @Benchmark
    public double step() {
        int t = next;
        next = (t + 1) % EXAMPLES;
        StepResult result =
                classification
                        ? learner.step(inputs[t], labels[t])
                        : learner.step(inputs[t], targets[t]);
        return result.error() + result.uChangeSquared();
    }
}
