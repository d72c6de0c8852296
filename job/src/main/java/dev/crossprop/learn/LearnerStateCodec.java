package dev.crossprop.learn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes and reads a learner's complete state in a versioned binary form, so that a learner read
 * back continues with the same bits as if it had never stopped. Flink's state serializer calls it
 * with its DataOutputView and DataInputView.
 *
 * <p>Layout of version 2 (big-endian, as {@link DataOutput} writes; "doubles" are the 8 raw IEEE
 * 754 bytes of each value, NaN payloads kept, and a "row of n" is n doubles):
 *
 * <ol>
 *   <li>int version (2)
 *   <li>configuration: UTF learner kind id, int m, int n, int k, UTF activation id, UTF output
 *       kind id, UTF initialization id, then doubles step size of U, step size of W, eta,
 *       momentum, RMSProp decay, RMSProp epsilon, RMSProp initial mean square, Adam beta1, Adam
 *       beta2, Adam epsilon
 *   <li>long step count, boolean diverged, long step at which it diverged (0 if it has not)
 *   <li>double: the learner's running sum of (U - U0)^2
 *   <li>initial weights: U0 as m rows of n, b0 as a row of n, W0 transposed as k rows of n (row
 *       o contains w_jo for j = 0..n-1), c0 as a row of k
 *   <li>current weights U, b, W, c, in the same form
 *   <li>long Adam step count t (0 for every other learner)
 *   <li>the learner's own state rows:
 *       <ul>
 *         <li>crossprop: memory h_ijo as m * k rows of n, in the order i = 0..m-1, then o =
 *             0..k-1, then the hidden bias's memory as k rows of n
 *         <li>crossprop-approx: memory h_jo as k rows of n
 *         <li>backprop: nothing
 *         <li>momentum (velocity), RMSProp (mean square): one accumulator shaped like the
 *             weights: m rows of n (U), a row of n (b), k rows of n (W transposed), a row of k
 *             (c)
 *         <li>Adam: the first moment, then the second moment, each shaped as above
 *       </ul>
 * </ol>
 *
 * The running sum of (U - U0)^2 is stored because it carries the rounding of every past step
 * (see {@link Learner}); the sum of (W - W0)^2 is recomputed from the weights in the order the
 * update uses, which gives the same bits. Version 1, written by earlier builds, is version 2
 * without the running sum. Reading it recomputes the sum from the weights, so a learner restored
 * from it can differ from the original in the last digits of its U change.
 */
public final class LearnerStateCodec {

    /** Version of the layout that {@link #write} produces. */
    public static final int VERSION = 2;

    /** The layout before the running sum of (U - U0)^2 was stored. */
    private static final int VERSION_1 = 1;

    private LearnerStateCodec() {}

    /** Writes the learner's complete state; the learner is not changed. */
    public static void write(Learner learner, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        writeConfig(learner.config, out);
        out.writeLong(learner.stepCount);
        out.writeBoolean(learner.diverged);
        out.writeLong(learner.divergedAtStep);
        out.writeDouble(learner.uChangeSquared);

        ByteBuffer buffer = ByteBuffer.allocate(8 * Math.max(learner.n, learner.k));
        writeWeights(learner.u0, learner.b0, learner.wt0, learner.c0, out, buffer);
        writeWeights(learner.u, learner.b, learner.wt, learner.c, out, buffer);

        out.writeLong(learner instanceof BackpropLearner bp ? bp.adamSteps : 0L);
        for (double[] row : learner.stateRows()) {
            writeRow(row, out, buffer);
        }
    }

    /**
     * Reads a learner written by {@link #write}.
     *
     * @throws IOException if the stream ends early, has an unknown version, or contains an invalid
     *     configuration
     */
    public static Learner read(DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION && version != VERSION_1) {
            throw new IOException(
                    "Unknown learner state version " + version + ": this build reads versions "
                            + VERSION_1 + " and " + VERSION);
        }
        LearnerConfig config = readConfig(in);
        long stepCount = in.readLong();
        boolean diverged = in.readBoolean();
        long divergedAtStep = in.readLong();
        double uChangeSquared = version == VERSION_1 ? Double.NaN : in.readDouble();

        int m = config.inputs();
        int n = config.hidden();
        int k = config.outputs();
        ByteBuffer buffer = ByteBuffer.allocate(8 * Math.max(n, k));
        double[][] u0 = new double[m][n];
        double[] b0 = new double[n];
        double[][] wt0 = new double[k][n];
        double[] c0 = new double[k];
        readWeights(u0, b0, wt0, c0, in, buffer);
        Weights initial;
        try {
            initial = new Weights(u0, b0, Learner.transpose(wt0, k, n), c0);
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid initial weights in learner state: " + e.getMessage(), e);
        }
        Learner learner = createUnchecked(config, initial);
        readWeights(learner.u, learner.b, learner.wt, learner.c, in, buffer);
        long adamSteps = in.readLong();
        if (learner instanceof BackpropLearner bp) {
            bp.adamSteps = adamSteps;
        }
        for (double[] row : learner.stateRows()) {
            readRow(row, in, buffer);
        }

        learner.stepCount = stepCount;
        learner.diverged = diverged;
        learner.divergedAtStep = divergedAtStep;
        learner.recomputeChangeSums();
        if (version != VERSION_1) {
            learner.uChangeSquared = uChangeSquared;
        }
        return learner;
    }

    /** Creates a learner without the finiteness check, since a diverged learner may hold NaN. */
    private static Learner createUnchecked(LearnerConfig config, Weights initial) {
        return switch (config.kind()) {
            case CROSSPROP -> new CrosspropLearner(config, initial);
            case CROSSPROP_APPROX -> new CrosspropApproxLearner(config, initial);
            case BACKPROP, MOMENTUM, RMSPROP, ADAM -> new BackpropLearner(config, initial);
        };
    }

    private static void writeConfig(LearnerConfig config, DataOutput out) throws IOException {
        out.writeUTF(config.kind().id());
        out.writeInt(config.inputs());
        out.writeInt(config.hidden());
        out.writeInt(config.outputs());
        out.writeUTF(config.activation().id());
        out.writeUTF(config.outputKind().id());
        out.writeUTF(config.initialization().id());
        out.writeDouble(config.stepSizeU());
        out.writeDouble(config.stepSizeW());
        out.writeDouble(config.eta());
        out.writeDouble(config.momentum());
        out.writeDouble(config.rmsDecay());
        out.writeDouble(config.rmsEpsilon());
        out.writeDouble(config.rmsInitial());
        out.writeDouble(config.adamBeta1());
        out.writeDouble(config.adamBeta2());
        out.writeDouble(config.adamEpsilon());
    }

    private static LearnerConfig readConfig(DataInput in) throws IOException {
        try {
            LearnerKind kind = LearnerKind.fromId(in.readUTF());
            int m = in.readInt();
            int n = in.readInt();
            int k = in.readInt();
            return LearnerConfig.builder(kind, m, n, k)
                    .activation(Activation.fromId(in.readUTF()))
                    .outputKind(OutputKind.fromId(in.readUTF()))
                    .initialization(Initialization.fromId(in.readUTF()))
                    .stepSizeU(in.readDouble())
                    .stepSizeW(in.readDouble())
                    .eta(in.readDouble())
                    .momentum(in.readDouble())
                    .rmsDecay(in.readDouble())
                    .rmsEpsilon(in.readDouble())
                    .rmsInitial(in.readDouble())
                    .adamBeta1(in.readDouble())
                    .adamBeta2(in.readDouble())
                    .adamEpsilon(in.readDouble())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid configuration in learner state: " + e.getMessage(), e);
        }
    }

    private static void writeWeights(
            double[][] u, double[] b, double[][] wt, double[] c, DataOutput out, ByteBuffer buffer)
            throws IOException {
        for (double[] row : u) {
            writeRow(row, out, buffer);
        }
        writeRow(b, out, buffer);
        for (double[] row : wt) {
            writeRow(row, out, buffer);
        }
        writeRow(c, out, buffer);
    }

    private static void readWeights(
            double[][] u, double[] b, double[][] wt, double[] c, DataInput in, ByteBuffer buffer)
            throws IOException {
        for (double[] row : u) {
            readRow(row, in, buffer);
        }
        readRow(b, in, buffer);
        for (double[] row : wt) {
            readRow(row, in, buffer);
        }
        readRow(c, in, buffer);
    }

    // One write call per row rather than per value: DataOutputView implementations pay a bounds
    // check per call, and a crossprop learner at MNIST size has eight million doubles.
    private static void writeRow(double[] row, DataOutput out, ByteBuffer buffer)
            throws IOException {
        buffer.clear();
        for (double v : row) {
            buffer.putDouble(v);
        }
        out.write(buffer.array(), 0, buffer.position());
    }

    private static void readRow(double[] row, DataInput in, ByteBuffer buffer) throws IOException {
        int bytes = 8 * row.length;
        in.readFully(buffer.array(), 0, bytes);
        buffer.clear();
        for (int j = 0; j < row.length; j++) {
            row[j] = buffer.getDouble();
        }
    }
}
