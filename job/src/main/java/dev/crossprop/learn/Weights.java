package dev.crossprop.learn;

import java.util.Arrays;

/**
 * The parameters of a one-hidden-layer network: U (m x n, input i to hidden unit j), the hidden
 * bias b (n), W (n x k, hidden unit j to output k) and the output bias c (k).
 *
 * <p>The constructor checks that the shapes agree and keeps the given arrays without copying;
 * {@link Learner#weights()} and {@link Learner#initialWeights()} return fresh copies. The arrays
 * are public for speed of access and may be changed by any code with a reference to this object.
 */
public final class Weights {
    public final double[][] u;
    public final double[] b;
    public final double[][] w;
    public final double[] c;

    /**
     * Wraps the four arrays after checking their shapes.
     *
     * @throws IllegalArgumentException if an array is missing, empty or ragged, or the shapes
     *     disagree; the message gives both shapes
     */
    public Weights(double[][] u, double[] b, double[][] w, double[] c) {
        if (u == null || b == null || w == null || c == null) {
            throw new IllegalArgumentException("Weights need U, b, W and c; one of them is null");
        }
        int m = u.length;
        if (m == 0) {
            throw new IllegalArgumentException("U has 0 rows: it must be m x n with m >= 1");
        }
        int n = rowLength("U", u, 0);
        for (int i = 1; i < m; i++) {
            if (rowLength("U", u, i) != n) {
                throw new IllegalArgumentException(
                        "U row " + i + " has " + u[i].length + " values but row 0 has " + n
                                + ": every row of U must have n values");
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("U has 0 columns: it must be m x n with n >= 1");
        }
        if (b.length != n) {
            throw new IllegalArgumentException(
                    "b has " + b.length + " values but U is " + m + " x " + n + ": b needs n = "
                            + n);
        }
        if (w.length != n) {
            throw new IllegalArgumentException(
                    "W has " + w.length + " rows but U is " + m + " x " + n + ": W needs n = " + n
                            + " rows");
        }
        int k = rowLength("W", w, 0);
        for (int j = 1; j < n; j++) {
            if (rowLength("W", w, j) != k) {
                throw new IllegalArgumentException(
                        "W row " + j + " has " + w[j].length + " values but row 0 has " + k
                                + ": every row of W must have k values");
            }
        }
        if (k == 0) {
            throw new IllegalArgumentException("W has 0 columns: it must be n x k with k >= 1");
        }
        if (c.length != k) {
            throw new IllegalArgumentException(
                    "c has " + c.length + " values but W is " + n + " x " + k + ": c needs k = "
                            + k);
        }
        this.u = u;
        this.b = b;
        this.w = w;
        this.c = c;
    }

    private static int rowLength(String name, double[][] matrix, int row) {
        if (matrix[row] == null) {
            throw new IllegalArgumentException(name + " row " + row + " is null");
        }
        return matrix[row].length;
    }

    /** Returns m, the number of inputs. */
    public int inputs() {
        return u.length;
    }

    /** Returns n, the number of hidden units. */
    public int hidden() {
        return b.length;
    }

    /** Returns k, the number of outputs. */
    public int outputs() {
        return c.length;
    }

    /** Returns a deep copy. */
    public Weights copy() {
        return new Weights(copyOf(u), b.clone(), copyOf(w), c.clone());
    }

    static double[][] copyOf(double[][] matrix) {
        double[][] copy = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            copy[i] = matrix[i].clone();
        }
        return copy;
    }

    /** Compares all values bit for bit (so NaN equals NaN and 0.0 differs from -0.0). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Weights)) {
            return false;
        }
        Weights other = (Weights) o;
        return Arrays.deepEquals(u, other.u)
                && Arrays.equals(b, other.b)
                && Arrays.deepEquals(w, other.w)
                && Arrays.equals(c, other.c);
    }

    @Override
    public int hashCode() {
        int h = Arrays.deepHashCode(u);
        h = 31 * h + Arrays.hashCode(b);
        h = 31 * h + Arrays.deepHashCode(w);
        return 31 * h + Arrays.hashCode(c);
    }

    @Override
    public String toString() {
        return "Weights{" + inputs() + "-" + hidden() + "-" + outputs() + "}";
    }
}
