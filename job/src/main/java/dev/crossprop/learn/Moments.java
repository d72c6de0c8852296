package dev.crossprop.learn;

import java.util.Arrays;
import java.util.List;

/**
 * One optimizer accumulator per parameter, shaped like the network: a velocity (momentum), a
 * mean square (RMSProp) or a moment estimate (Adam). U's part is by rows like {@link Learner#u}
 * and W's part is transposed like {@link Learner#wt}.
 */
final class Moments {
    final double[][] u;
    final double[] b;
    final double[][] wt;
    final double[] c;

    Moments(int m, int n, int k, double initial) {
        u = new double[m][n];
        b = new double[n];
        wt = new double[k][n];
        c = new double[k];
        if (initial != 0.0) {
            for (double[] row : u) {
                Arrays.fill(row, initial);
            }
            Arrays.fill(b, initial);
            for (double[] row : wt) {
                Arrays.fill(row, initial);
            }
            Arrays.fill(c, initial);
        }
    }

    private Moments(Moments other) {
        u = Weights.copyOf(other.u);
        b = other.b.clone();
        wt = Weights.copyOf(other.wt);
        c = other.c.clone();
    }

    Moments copy() {
        return new Moments(this);
    }

    /** Adds the rows in serialization order: U by rows, b, W transposed by rows, c. */
    void addRowsTo(List<double[]> rows) {
        rows.addAll(Arrays.asList(u));
        rows.add(b);
        rows.addAll(Arrays.asList(wt));
        rows.add(c);
    }
}
