package dev.crossprop.learn.bench;

import dev.crossprop.learn.Learner;
import dev.crossprop.learn.LearnerConfig;
import dev.crossprop.learn.LearnerKind;
import dev.crossprop.learn.OutputKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Companion of {@link LearnerStepBenchmark} that reports the CPU time of this thread per step
 * rather than the wall-clock time, so that other processes on a shared machine inflate it less
 * (they still compete for caches and memory bandwidth). Same learners, sizes and inputs as the
 * JMH benchmark. Each case runs ten rounds after a warm-up and prints the smallest CPU time per
 * step of a round, as a Markdown table row on standard output. A last row times 1,024 calls of
 * {@link Math#tanh}, a fixed piece of work that shows how much the machine's load slows a run.
 *
 * <p>Run: {@code mvn -B -pl job -am -Pbench -DskipTests test
 * -Dbench.main=dev.crossprop.learn.bench.LearnerStepCpuTime -Dbench.args=}
 */
public final class LearnerStepCpuTime {

    private static final int EXAMPLES = 512;
    private static final int ROUNDS = 10;

    private LearnerStepCpuTime() {}

    public static void main(String[] args) {
        String[] cases = {
            "crossprop@geoff", "crossprop-approx@geoff", "backprop@geoff", "momentum@geoff",
            "rmsprop@geoff", "adam@geoff", "crossprop-approx@mnist", "backprop@mnist",
            "momentum@mnist", "rmsprop@mnist", "adam@mnist", "crossprop@mnist",
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| learner@size | min CPU us/step | min wall us/step |");
        System.out.println("| --- | --- | --- |");
        for (String name : cases) {
            measure(name, threads);
        }
        measureTanh(threads);
    }

    private static void measureTanh(ThreadMXBean threads) {
        double[] net = new double[1024];
        SplittableRandom random = new SplittableRandom(3L);
        for (int j = 0; j < net.length; j++) {
            net[j] = random.nextDouble(-3.0, 3.0);
        }
        double best = Double.MAX_VALUE;
        double sink = 0;
        for (int round = -3; round < ROUNDS; round++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (int s = 0; s < 10_000; s++) {
                for (double v : net) {
                    sink += Math.tanh(v);
                }
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / 10_000;
            if (round >= 0) {
                best = Math.min(best, cpu);
            }
        }
        if (Double.isNaN(sink)) {
            System.out.println("(tanh returned NaN)");
        }
        System.out.printf("| 1,024 x Math.tanh (load indicator) | %.1f | |%n", best);
    }

    private static void measure(String name, ThreadMXBean threads) {
        String[] parts = name.split("@");
        boolean mnist = parts[1].equals("mnist");
        int m = mnist ? 784 : 20;
        int n = mnist ? 1024 : 500;
        int k = mnist ? 10 : 1;
        LearnerConfig config =
                LearnerConfig.builder(LearnerKind.fromId(parts[0]), m, n, k)
                        .outputKind(mnist ? OutputKind.CLASSIFICATION : OutputKind.REGRESSION)
                        .stepSize(0.0005)
                        .build();
        Learner learner = Learner.create(config, 1L);

        // The same example stream as LearnerStepBenchmark.setUp.
        SplittableRandom random = new SplittableRandom(2L);
        double[][] inputs = new double[EXAMPLES][m];
        double[][] targets = new double[EXAMPLES][k];
        int[] labels = new int[EXAMPLES];
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

        // About 0.3 s of work per round on an idle machine.
        int steps = 20_000;
        if (mnist) {
            steps = parts[0].equals("crossprop") ? 20 : 500;
        }
        double bestCpu = Double.MAX_VALUE;
        double bestWall = Double.MAX_VALUE;
        double sink = 0;
        int next = 0;
        for (int round = -3; round < ROUNDS; round++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                int t = next;
                next = (t + 1) % EXAMPLES;
                sink += mnist
                        ? learner.step(inputs[t], labels[t]).error()
                        : learner.step(inputs[t], targets[t]).error();
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / steps;
            double wall = (System.nanoTime() - wallStart) / 1e3 / steps;
            // Rounds below 0 are warm-up, for the JIT compiler.
            if (round >= 0) {
                bestCpu = Math.min(bestCpu, cpu);
                bestWall = Math.min(bestWall, wall);
            }
        }
        if (Double.isNaN(sink)) {
            System.out.println("(the learner diverged)");
        }
        System.out.printf("| %s | %.1f | %.1f |%n", name, bestCpu, bestWall);
    }
}
