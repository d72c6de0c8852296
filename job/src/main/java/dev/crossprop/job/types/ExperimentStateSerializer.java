package dev.crossprop.job.types;

import dev.crossprop.learn.LearnerStateCodec;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link ExperimentState}. Layout, big endian: format version (int, 1),
 * learner index (int), last index (long), diverged-at index (long), window error sum, window
 * correct sum (doubles), window count (int), bin error sum (double), bin count (int), then the
 * learner in the versioned form of {@link LearnerStateCodec}.
 *
 * <p>The heap state backend calls {@link #copy} at most once per key and checkpoint (copy on
 * write while a snapshot runs) and {@link #serialize} only when it writes a checkpoint.
 */
public final class ExperimentStateSerializer extends ValueSerializer<ExperimentState> {

    private static final long serialVersionUID = 1L;

    private static final int FORMAT_VERSION = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ExperimentState createInstance() {
        return new ExperimentState();
    }

    @Override
    public ExperimentState copy(ExperimentState from) {
        return from.copy();
    }

    @Override
    public void serialize(ExperimentState state, DataOutputView out) throws IOException {
        out.writeInt(FORMAT_VERSION);
        out.writeInt(state.learnerIndex);
        out.writeLong(state.lastIndex);
        out.writeLong(state.divergedAt);
        out.writeDouble(state.windowErrorSum);
        out.writeDouble(state.windowCorrectSum);
        out.writeInt(state.windowCount);
        out.writeDouble(state.binErrorSum);
        out.writeInt(state.binCount);
        LearnerStateCodec.write(state.learner, out);
    }

    @Override
    public ExperimentState deserialize(DataInputView in) throws IOException {
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("Unknown experiment state format version " + version
                    + "; this build reads version " + FORMAT_VERSION + ". Restore with the build that wrote the checkpoint.");
        }
        ExperimentState state = new ExperimentState();
        state.learnerIndex = in.readInt();
        state.lastIndex = in.readLong();
        state.divergedAt = in.readLong();
        state.windowErrorSum = in.readDouble();
        state.windowCorrectSum = in.readDouble();
        state.windowCount = in.readInt();
        state.binErrorSum = in.readDouble();
        state.binCount = in.readInt();
        state.learner = LearnerStateCodec.read(in);
        return state;
    }

    @Override
    public TypeSerializerSnapshot<ExperimentState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the serializer's configuration; the format version is written per value. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ExperimentState> {
        public Snapshot() {
            super(ExperimentStateSerializer::new);
        }
    }
}
