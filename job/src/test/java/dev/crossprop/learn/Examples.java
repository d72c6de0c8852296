package dev.crossprop.learn;

import java.util.SplittableRandom;

/** Seeded synthetic examples for the learner tests. */
final class Examples {
    final double[][] inputs;
    final double[][] targets;
    final int[] labels;

    private Examples(double[][] inputs, double[][] targets, int[] labels) {
        this.inputs = inputs;
        this.targets = targets;
        this.labels = labels;
    }

    /**
     * Returns {@code count} examples with inputs that are 0 in about a third of the places and
     * uniform in [0, 1) elsewhere (so the sparse paths run), targets from N(0, 1) and labels
     * uniform in [0, k).
     */
    static Examples random(int count, int m, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] inputs = new double[count][m];
        double[][] targets = new double[count][k];
        int[] labels = new int[count];
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < m; i++) {
                inputs[t][i] = random.nextInt(3) == 0 ? 0.0 : random.nextDouble();
            }
            for (int o = 0; o < k; o++) {
                targets[t][o] = InitialWeights.standardNormal(random);
            }
            labels[t] = random.nextInt(k);
        }
        return new Examples(inputs, targets, labels);
    }

    /** Takes step t of this stream with the learner's output kind. */
    StepResult step(Learner learner, int t) {
        return learner.config().outputKind() == OutputKind.REGRESSION
                ? learner.step(inputs[t], targets[t])
                : learner.step(inputs[t], labels[t]);
    }
}
