package dev.crossprop.job.types;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.function.Supplier;

/**
 * Type information that hands Flink one explicit serializer, so that a type Flink cannot analyse
 * as a POJO never falls back to Kryo.
 */
public final class ExplicitTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> typeClass;
    private final SerializerFactory<T> serializer;

    /** A serializable supplier of serializers. */
    public interface SerializerFactory<T> extends Supplier<TypeSerializer<T>>, java.io.Serializable {}

    public ExplicitTypeInfo(Class<T> typeClass, SerializerFactory<T> serializer) {
        this.typeClass = typeClass;
        this.serializer = serializer;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return typeClass;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer.get();
    }

    @Override
    public String toString() {
        return "ExplicitTypeInfo<" + typeClass.getSimpleName() + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExplicitTypeInfo && ((ExplicitTypeInfo<?>) other).typeClass == typeClass;
    }

    @Override
    public int hashCode() {
        return typeClass.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof ExplicitTypeInfo;
    }
}
