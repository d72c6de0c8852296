package dev.crossprop.job.types;

import dev.crossprop.sources.Example;

/**
 * An example on its way to one experiment: the experiment's key, the position of the
 * experiment's learner in the configuration, and the example itself, shared by all learners of
 * the run.
 */
public final class RoutedExample {

    private final ExperimentKey key;
    private final int learnerIndex;
    private final Example example;

    public RoutedExample(ExperimentKey key, int learnerIndex, Example example) {
        this.key = key;
        this.learnerIndex = learnerIndex;
        this.example = example;
    }

    public ExperimentKey key() {
        return key;
    }

    /** Returns the experiment id, {@code <run>/<learner label>}. */
    public String experimentId() {
        return key.id();
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

    /** Flink serializer: experiment key, learner index, then the example. */
    public static final class Serializer extends ValueSerializer<RoutedExample> {

        private static final long serialVersionUID = 1L;

        private static final ExperimentKey.Serializer KEY_SERIALIZER = new ExperimentKey.Serializer();

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
            KEY_SERIALIZER.serialize(routed.key, out);
            out.writeInt(routed.learnerIndex);
            ExampleSerializer.INSTANCE.serialize(routed.example, out);
        }

        @Override
        public RoutedExample deserialize(org.apache.flink.core.memory.DataInputView in)
                throws java.io.IOException {
            ExperimentKey key = KEY_SERIALIZER.deserialize(in);
            int learnerIndex = in.readInt();
            return new RoutedExample(key, learnerIndex, ExampleSerializer.INSTANCE.deserialize(in));
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
