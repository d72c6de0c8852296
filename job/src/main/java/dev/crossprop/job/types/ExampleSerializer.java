package dev.crossprop.job.types;

import dev.crossprop.sources.Example;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link Example}: run, index, task, inputs, then the targets or the label.
 * Examples are immutable, so copies share the instance.
 */
public final class ExampleSerializer extends ValueSerializer<Example> {

    private static final long serialVersionUID = 1L;

    public static final ExampleSerializer INSTANCE = new ExampleSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Example copy(Example from) {
        return from;
    }

    @Override
    public void serialize(Example example, DataOutputView out) throws IOException {
        out.writeUTF(example.run());
        out.writeLong(example.index());
        out.writeUTF(example.task());
        writeDoubles(example.x(), out);
        out.writeBoolean(example.isClassification());
        if (example.isClassification()) {
            out.writeInt(example.label());
        } else {
            writeDoubles(example.y(), out);
        }
    }

    @Override
    public Example deserialize(DataInputView in) throws IOException {
        String run = in.readUTF();
        long index = in.readLong();
        String task = in.readUTF();
        double[] x = readDoubles(in);
        if (in.readBoolean()) {
            return Example.classification(run, index, task, x, in.readInt());
        }
        return Example.regression(run, index, task, x, readDoubles(in));
    }

    static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        for (double value : values) {
            out.writeDouble(value);
        }
    }

    static double[] readDoubles(DataInputView in) throws IOException {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    @Override
    public TypeSerializerSnapshot<Example> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the serializer's configuration; there is none beyond the format itself. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Example> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
