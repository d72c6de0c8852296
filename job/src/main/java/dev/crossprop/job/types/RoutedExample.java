package dev.crossprop.job.types;

import dev.crossprop.sources.Example;

/**
 * An example on its way to one experiment: the experiment id (the key), the position of the
 * experiment's learner in the configuration, and the example itself, shared by all learners of
 * the run.
 */
public final class RoutedExample {

    private final String experimentId;
    private final int learnerIndex;
    private final Example example;

    public RoutedExample(String experimentId, int learnerIndex, Example example) {
        this.experimentId = experimentId;
        this.learnerIndex = learnerIndex;
        this.example = example;
    }

    public String experimentId() {
        return experimentId;
    }

    public int learnerIndex() {
        return learnerIndex;
    }

    public Example example() {
        return example;
    }

    /** Type information with an explicit serializer. */
    public static ExplicitTypeInfo<RoutedExample> typeInfo() {
        return new ExplicitTypeInfo<>(RoutedExample.class, Serializer::new);
    }

    /** Flink serializer: experiment id, learner index, then the example. */
    public static final class Serializer extends ValueSerializer<RoutedExample> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public RoutedExample copy(RoutedExample from) {
            return from;
        }

        @Override
        public void serialize(RoutedExample routed, org.apache.flink.core.memory.DataOutputView out)
                throws java.io.IOException {
            out.writeUTF(routed.experimentId);
            out.writeInt(routed.learnerIndex);
            ExampleSerializer.INSTANCE.serialize(routed.example, out);
        }

        @Override
        public RoutedExample deserialize(org.apache.flink.core.memory.DataInputView in)
                throws java.io.IOException {
            String experimentId = in.readUTF();
            int learnerIndex = in.readInt();
            return new RoutedExample(experimentId, learnerIndex, ExampleSerializer.INSTANCE.deserialize(in));
        }

        @Override
        public org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<RoutedExample> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Snapshot of the serializer's configuration. */
    public static final class Snapshot
            extends org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot<RoutedExample> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
