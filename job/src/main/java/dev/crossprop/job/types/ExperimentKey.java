package dev.crossprop.job.types;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The key of one experiment in the learn operator: the experiment id and the hash code that
 * Flink maps to a key group. The hash is chosen by {@code ExperimentPlacement} so that the
 * configured experiments spread evenly over the key groups; two keys are equal only when both
 * the id and the hash are.
 */
public final class ExperimentKey {

    private final String id;
    private final int hash;

    public ExperimentKey(String id, int hash) {
        this.id = id;
        this.hash = hash;
    }

    /** Returns the experiment id, {@code <run>/<learner label>}. */
    public String id() {
        return id;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExperimentKey key && key.hash == hash && key.id.equals(id);
    }

    @Override
    public String toString() {
        return id;
    }

    /** Type information with an explicit serializer. */
    public static ExplicitTypeInfo<ExperimentKey> typeInfo() {
        return new ExplicitTypeInfo<>(ExperimentKey.class, Serializer::new);
    }

    /** Flink serializer: the id, then the hash. */
    public static final class Serializer extends ValueSerializer<ExperimentKey> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public ExperimentKey copy(ExperimentKey from) {
            return from;
        }

        @Override
        public void serialize(ExperimentKey key, DataOutputView out) throws IOException {
            out.writeUTF(key.id);
            out.writeInt(key.hash);
        }

        @Override
        public ExperimentKey deserialize(DataInputView in) throws IOException {
            return new ExperimentKey(in.readUTF(), in.readInt());
        }

        @Override
        public TypeSerializerSnapshot<ExperimentKey> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Snapshot of the serializer's configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ExperimentKey> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
