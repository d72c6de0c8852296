package dev.crossprop.learn;

import java.util.Arrays;
import java.util.List;

/**
 * An online learner for a network with one hidden layer: it takes one example at a time,
 * predicts, reports the error and updates its weights.
 *
 * <p>Network (m inputs x, n hidden units, k outputs): net_j = sum_i x_i u_ij + b_j, phi_j =
 * g(net_j), y_k = sum_j phi_j w_jk + c_k. For regression delta_k = target_k - y_k and the error
 * is sum_k delta_k^2; for classification p = softmax(y), delta_k = onehot_k - p_k and the error
 * is -log p_label. Each step computes the prediction and error with the weights from before the
 * step and then updates every parameter from those same values.
 *
 * <p>Divergence: a step whose error, or whose updated U, b, W or c, contains NaN or an infinity
 * reports {@link StepResult#diverged()}; from then on {@link #diverged()} is true and further
 * steps throw {@link IllegalStateException}. The check costs no extra pass: it looks at the
 * running sums of (U - U0)^2 and (W - W0)^2 and of the biases that the update computes anyway.
 * A step with a non-finite error leaves the weights as they were.
 *
 * <p>The squared norm of U - U0 is a running sum: each step adds sum (after^2 - before^2) of
 * (u_ij - u0_ij) over the weights it changes, collected per hidden unit inside the update loops
 * (which C2 vectorizes) and added up once per step. A per-row sum would cost a scalar reduction
 * per changed row, a fifth of a sparse step at MNIST size. The running sum gathers a rounding
 * error of about one unit in the last place per step, so after a million steps it can differ
 * from a fresh sum in about the tenth significant digit. It is part of the saved state, so a
 * restored learner continues with the same bits.
 *
 * <p>Create learners with {@link #create(LearnerConfig, long)} or {@link #create(LearnerConfig,
 * Weights)}. A learner is not thread-safe. Its complete state can be saved and restored with
 * {@link LearnerStateCodec}.
 */
public abstract class Learner {

    final LearnerConfig config;
    final int m;
    final int n;
    final int k;

    /** U by rows: u[i] contains the weights from input i to every hidden unit. */
    final double[][] u;

    final double[] b;

    /** W transposed: wt[o][j] = w_jo, so that each output's weights are one contiguous row. */
    final double[][] wt;

    final double[] c;
    final double[][] u0;
    final double[] b0;
    final double[][] wt0;
    final double[] c0;

    /** Running sum of (u_ij - u0_ij)^2 over all weights; see the class comment. */
    double uChangeSquared;

    double wChangeSquared;

    /** Sum of every b_j and c_o after the last update; only its finiteness matters. */
    double biasSum;

    long stepCount;
    boolean diverged;
    long divergedAtStep;

    // Scratch for one step; its contents do not outlive the step and are not part of the state.
    final double[] phi;
    final double[] derivative;
    final double[] y;
    final double[] delta;

    /** Back-propagated error e_j = g'_j * sum_o delta_o w_jo. */
    final double[] backError;

    /**
     * Squared changes (w - w0)^2 of the row being updated. Update loops store them here instead
     * of adding them up, which keeps the loop free of a loop-carried sum so that C2 vectorizes
     * it; {@link #sumOfSquares} then adds them up.
     */
    final double[] squares;

    /**
     * Per hidden unit j, the step's change of sum_i (u_ij - u0_ij)^2, collected by the update
     * loops with {@link #addChange} between {@link #beginUChange} and {@link #endUChange}.
     */
    final double[] uChange;

    /** Indices of the nonzero inputs of the current example, in increasing order. */
    final int[] active;

    int activeCount;
    private final StepResult result = new StepResult();

    /** Creates a learner whose current and initial weights are copies of {@code initial}. */
    Learner(LearnerConfig config, Weights initial) {
        this.config = config;
        this.m = config.inputs();
        this.n = config.hidden();
        this.k = config.outputs();
        this.u = Weights.copyOf(initial.u);
        this.b = initial.b.clone();
        this.wt = transpose(initial.w, n, k);
        this.c = initial.c.clone();
        this.u0 = Weights.copyOf(initial.u);
        this.b0 = initial.b.clone();
        this.wt0 = transpose(initial.w, n, k);
        this.c0 = initial.c.clone();
        this.phi = new double[n];
        this.derivative = new double[n];
        this.y = new double[k];
        this.delta = new double[k];
        this.backError = new double[n];
        this.squares = new double[n];
        this.uChange = new double[n];
        this.active = new int[m];
    }

    /** Creates a deep copy of {@code other}'s state (subclasses copy their own arrays). */
    Learner(Learner other) {
        this.config = other.config;
        this.m = other.m;
        this.n = other.n;
        this.k = other.k;
        this.u = Weights.copyOf(other.u);
        this.b = other.b.clone();
        this.wt = Weights.copyOf(other.wt);
        this.c = other.c.clone();
        this.u0 = Weights.copyOf(other.u0);
        this.b0 = other.b0.clone();
        this.wt0 = Weights.copyOf(other.wt0);
        this.c0 = other.c0.clone();
        this.uChangeSquared = other.uChangeSquared;
        this.wChangeSquared = other.wChangeSquared;
        this.biasSum = other.biasSum;
        this.stepCount = other.stepCount;
        this.diverged = other.diverged;
        this.divergedAtStep = other.divergedAtStep;
        this.phi = new double[n];
        this.derivative = new double[n];
        this.y = new double[k];
        this.delta = new double[k];
        this.backError = new double[n];
        this.squares = new double[n];
        this.uChange = new double[n];
        this.active = new int[m];
    }

    /**
     * Creates a learner with initial weights drawn from {@code seed} as {@link
     * InitialWeights#draw} documents: the same configuration and seed give the same bits on every
     * machine.
     */
    public static Learner create(LearnerConfig config, long seed) {
        return create(config, InitialWeights.draw(config, seed));
    }

    /**
     * Creates a learner that starts from copies of the given weights.
     *
     * @throws IllegalArgumentException if the shapes differ from the configuration's m, n and k,
     *     or a weight is not finite
     */
    public static Learner create(LearnerConfig config, Weights initial) {
        checkShapes(config, initial);
        return switch (config.kind()) {
            case CROSSPROP -> new CrosspropLearner(config, initial);
            case CROSSPROP_APPROX -> new CrosspropApproxLearner(config, initial);
            case BACKPROP, MOMENTUM, RMSPROP, ADAM -> new BackpropLearner(config, initial);
        };
    }

    private static void checkShapes(LearnerConfig config, Weights w) {
        if (w.inputs() != config.inputs()
                || w.hidden() != config.hidden()
                || w.outputs() != config.outputs()) {
            throw new IllegalArgumentException(
                    "Initial weights are " + w.inputs() + "-" + w.hidden() + "-" + w.outputs()
                            + " (m-n-k) but the configuration is " + config.inputs() + "-"
                            + config.hidden() + "-" + config.outputs()
                            + ": give weights of the configured sizes");
        }
        checkFinite("U", w.u);
        checkFinite("W", w.w);
        checkFinite("b", w.b, -1);
        checkFinite("c", w.c, -1);
    }

    private static void checkFinite(String name, double[][] matrix) {
        for (int r = 0; r < matrix.length; r++) {
            checkFinite(name, matrix[r], r);
        }
    }

    private static void checkFinite(String name, double[] values, int row) {
        for (int j = 0; j < values.length; j++) {
            if (!Double.isFinite(values[j])) {
                String where = row < 0 ? name + "[" + j + "]" : name + "[" + row + "][" + j + "]";
                throw new IllegalArgumentException(
                        "Initial weight " + where + " = " + values[j]
                                + " is invalid: every weight must be finite");
            }
        }
    }

    public LearnerConfig config() {
        return config;
    }

    /** Returns the number of steps taken, including a step that diverged. */
    public long stepCount() {
        return stepCount;
    }

    /** Returns whether a step has found a non-finite error or weight. */
    public boolean diverged() {
        return diverged;
    }

    /** Returns the number of the step that diverged, or 0 if none has. */
    public long divergedAtStep() {
        return diverged ? divergedAtStep : 0;
    }

    /** Returns a deep copy of the current weights and biases. */
    public Weights weights() {
        return new Weights(Weights.copyOf(u), b.clone(), transpose(wt, k, n), c.clone());
    }

    /** Returns a deep copy of the initial weights and biases U0, b0, W0, c0. */
    public Weights initialWeights() {
        return new Weights(Weights.copyOf(u0), b0.clone(), transpose(wt0, k, n), c0.clone());
    }

    /** Returns a deep copy of this learner, including its step count and optimizer state. */
    public abstract Learner copy();

    /**
     * Learns from one regression example: predicts, reports the squared error sum_k delta_k^2 of
     * that prediction, then updates.
     *
     * @param x the m inputs, all finite; not modified
     * @param target the k target values, all finite; not modified
     * @return this learner's reused result, valid until the next step
     * @throws IllegalArgumentException if an array has the wrong length or a value is not finite
     * @throws IllegalStateException if the learner is configured for classification or diverged
     */
    public final StepResult step(double[] x, double[] target) {
        checkUsable(OutputKind.REGRESSION);
        if (target == null || target.length != k) {
            throw new IllegalArgumentException(
                    "Target has " + (target == null ? "no" : String.valueOf(target.length))
                            + " values but the learner has k = " + k + " outputs: give " + k
                            + " target values");
        }
        for (int o = 0; o < k; o++) {
            if (!Double.isFinite(target[o])) {
                throw new IllegalArgumentException(
                        "Target value " + o + " = " + target[o] + " is invalid: it must be finite");
            }
        }
        forward(x);
        double error = 0.0;
        for (int o = 0; o < k; o++) {
            double d = target[o] - y[o];
            delta[o] = d;
            error += d * d;
        }
        return finishStep(x, error, false, false);
    }

    /**
     * Learns from one classification example: predicts p = softmax(y), reports the
     * cross-entropy -log p_label and whether argmax p was the label, then updates.
     *
     * @param x the m inputs, all finite; not modified
     * @param label the class, in [0, k)
     * @return this learner's reused result, valid until the next step
     * @throws IllegalArgumentException if x has the wrong length or a non-finite value, or the
     *     label is out of range
     * @throws IllegalStateException if the learner is configured for regression or diverged
     */
    public final StepResult step(double[] x, int label) {
        checkUsable(OutputKind.CLASSIFICATION);
        if (label < 0 || label >= k) {
            throw new IllegalArgumentException(
                    "Label " + label + " is out of range: it must be in [0, " + (k - 1) + "]"
                            + " for k = " + k + " classes");
        }
        forward(x);

        // The softmax is shifted by the largest output, so exp never overflows. The cross-entropy
        // is log(sum) - (y_label - max) rather than -log(p_label), which keeps its accuracy when
        // p_label is tiny.
        int best = 0;
        for (int o = 1; o < k; o++) {
            if (y[o] > y[best]) {
                best = o;
            }
        }
        double max = y[best];
        double sum = 0.0;
        for (int o = 0; o < k; o++) {
            double e = StrictMath.exp(y[o] - max);
            delta[o] = e;
            sum += e;
        }
        for (int o = 0; o < k; o++) {
            delta[o] = (o == label ? 1.0 : 0.0) - delta[o] / sum;
        }
        double error = StrictMath.log(sum) - (y[label] - max);
        return finishStep(x, error, true, best == label);
    }

    private void checkUsable(OutputKind expected) {
        if (diverged) {
            throw new IllegalStateException(
                    "Learner " + config.kind().id() + " diverged at step " + divergedAtStep
                            + " (a non-finite error or weight); it takes no further steps."
                            + " Lower the step size or start a new learner");
        }
        if (config.outputKind() != expected) {
            throw new IllegalStateException(
                    "This learner is configured for " + config.outputKind().id()
                            + " but was given a " + expected.id() + " example: call step(x, "
                            + (config.outputKind() == OutputKind.REGRESSION
                                    ? "double[] target)"
                                    : "int label)"));
        }
    }

    /** Validates x, collects its nonzero inputs in {@link #active} and computes phi, g' and y. */
    private void forward(double[] x) {
        if (x == null || x.length != m) {
            throw new IllegalArgumentException(
                    "Input has " + (x == null ? "no" : String.valueOf(x.length))
                            + " values but the learner has m = " + m + " inputs: give " + m
                            + " input values");
        }
        int count = 0;
        for (int i = 0; i < m; i++) {
            double xi = x[i];
            if (!Double.isFinite(xi)) {
                throw new IllegalArgumentException(
                        "Input value " + i + " = " + xi + " is invalid: it must be finite");
            }
            if (xi != 0.0) {
                active[count++] = i;
            }
        }
        activeCount = count;

        // Rows whose input is 0 add nothing to net, so only the active rows are read.
        double[] net = phi;
        System.arraycopy(b, 0, net, 0, n);
        for (int t = 0; t < count; t++) {
            int i = active[t];
            double xi = x[i];
            double[] row = u[i];
            for (int j = 0; j < n; j++) {
                net[j] += xi * row[j];
            }
        }
        Activations.apply(config.activation(), net, phi, derivative, n);
        for (int o = 0; o < k; o++) {
            y[o] = c[o] + dot(phi, wt[o], n);
        }
    }

    private StepResult finishStep(double[] x, double error, boolean hasCorrect, boolean correct) {
        long step = ++stepCount;
        if (!Double.isFinite(error)) {
            markDiverged(step);
            result.set(step, error, hasCorrect, correct, reportedUChange(), wChangeSquared, true);
            return result;
        }
        computeBackError();
        update(x);
        double uSquared = uChangeSquared;
        boolean finite =
                Double.isFinite(uSquared) && Double.isFinite(wChangeSquared)
                        && Double.isFinite(biasSum);
        if (!finite) {
            markDiverged(step);
        }
        result.set(step, error, hasCorrect, correct, reportedUChange(), wChangeSquared, !finite);
        return result;
    }

    /** The running sum can round to just below 0 when U returns to U0; NaN stays NaN. */
    private double reportedUChange() {
        return Math.max(uChangeSquared, 0.0);
    }

    private void markDiverged(long step) {
        diverged = true;
        divergedAtStep = step;
    }

    /** Computes e_j = g'_j * sum_o delta_o w_jo with the weights from before the update. */
    private void computeBackError() {
        double[] e = backError;
        Arrays.fill(e, 0.0);
        for (int o = 0; o < k; o++) {
            double d = delta[o];
            double[] row = wt[o];
            for (int j = 0; j < n; j++) {
                e[j] += d * row[j];
            }
        }
        for (int j = 0; j < n; j++) {
            e[j] *= derivative[j];
        }
    }

    /**
     * Updates U, b, W and c (and the learner's own state) from the step's x, phi, derivative,
     * delta and backError, adds the change of sum (U - U0)^2 to {@link #uChangeSquared}, and
     * sets {@link #wChangeSquared} and {@link #biasSum}.
     */
    abstract void update(double[] x);

    /** Clears {@link #uChange} before a step's update of U. */
    final void beginUChange() {
        Arrays.fill(uChange, 0.0);
    }

    /**
     * Adds the change of (u - u0)^2 when a weight moves from {@code before} to {@code after}, both
     * measured from its initial value, to hidden unit j's slot. Update loops call it per weight;
     * it is small enough to be inlined and vectorized with them.
     */
    final void addChange(int j, double before, double after) {
        uChange[j] += after * after - before * before;
    }

    /** Adds the step's collected change to {@link #uChangeSquared}. */
    final void endUChange() {
        uChangeSquared += sum(uChange);
    }

    /**
     * Applies the LMS rule w_jo += alpha_W delta_o phi_j and c_o += alpha_W delta_o, and sets
     * {@link #wChangeSquared} and the output-bias part of {@link #biasSum}. Returns that part.
     */
    final double updateOutputLayerSgd() {
        double alpha = config.stepSizeW();
        double changeSquared = 0.0;
        double biases = 0.0;
        for (int o = 0; o < k; o++) {
            double step = alpha * delta[o];
            double[] row = wt[o];
            double[] row0 = wt0[o];
            for (int j = 0; j < n; j++) {
                double v = row[j] + step * phi[j];
                row[j] = v;
                double d = v - row0[j];
                squares[j] = d * d;
            }
            changeSquared += sumOfSquares();
            c[o] += step;
            biases += c[o];
        }
        wChangeSquared = changeSquared;
        return biases;
    }

    /**
     * Applies the rank-one update u_ij += x_i a_j and b_j += a_j, adds the change of sum (U -
     * U0)^2 to the running sum and returns the sum of b. Rows whose input is 0 do not change, so
     * only the active rows are touched, and each row is read and written once.
     */
    final double updateActiveRows(double[] x, double[] a) {
        beginUChange();
        for (int t = 0; t < activeCount; t++) {
            int i = active[t];
            double xi = x[i];
            double[] row = u[i];
            double[] row0 = u0[i];
            for (int j = 0; j < n; j++) {
                double old = row[j];
                double v = old + xi * a[j];
                row[j] = v;
                double start = row0[j];
                addChange(j, old - start, v - start);
            }
        }
        endUChange();
        double biases = 0.0;
        for (int j = 0; j < n; j++) {
            b[j] += a[j];
            biases += b[j];
        }
        return biases;
    }

    /**
     * Lists the learner's own state arrays (crossprop memory, optimizer moments) in the order
     * that {@link LearnerStateCodec} writes them. The arrays are live: reading into them
     * restores the state.
     */
    abstract List<double[]> stateRows();

    /** Returns sum_j a[j] * b[j] with four partial sums, a fixed order that the JIT keeps. */
    static double dot(double[] a, double[] b, int n) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Returns the sum of {@link #squares}[0..n), as {@link #sum} adds it up. */
    final double sumOfSquares() {
        return sum(squares);
    }

    /**
     * Returns the sum of v[0..n) with eight partial sums in a fixed order. Eight independent sums
     * keep the adder busy where one running sum would wait on each addition. (C2 on JDK 17 does
     * not vectorize a floating-point sum, which is why the update loops avoid one per row.)
     */
    final double sum(double[] v) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double s4 = 0.0;
        double s5 = 0.0;
        double s6 = 0.0;
        double s7 = 0.0;
        int j = 0;
        for (; j + 7 < n; j += 8) {
            s0 += v[j];
            s1 += v[j + 1];
            s2 += v[j + 2];
            s3 += v[j + 3];
            s4 += v[j + 4];
            s5 += v[j + 5];
            s6 += v[j + 6];
            s7 += v[j + 7];
        }
        for (; j < n; j++) {
            s0 += v[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Returns sum_j (a[j] - b[j])^2, summed as the update loops sum it. */
    final double distanceSquared(double[] a, double[] b) {
        for (int j = 0; j < n; j++) {
            double d = a[j] - b[j];
            squares[j] = d * d;
        }
        return sumOfSquares();
    }

    static double[][] transpose(double[][] a, int rows, int cols) {
        double[][] t = new double[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                t[col][r] = a[r][col];
            }
        }
        return t;
    }

    /**
     * Recomputes the change sums from the weights, for a state saved without the running sum of
     * (U - U0)^2 (version 1 of {@link LearnerStateCodec}).
     */
    final void recomputeChangeSums() {
        double total = 0.0;
        for (int i = 0; i < m; i++) {
            total += distanceSquared(u[i], u0[i]);
        }
        uChangeSquared = total;
        double s = 0.0;
        for (int o = 0; o < k; o++) {
            s += distanceSquared(wt[o], wt0[o]);
        }
        wChangeSquared = s;
    }
}
