package dev.crossprop.sinks.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Checks that Flink treats both records as POJOs, so that no Kryo fallback occurs in the job. */
class RecordsFlinkTypeTest {

    @Test
    void errorRecordIsPojo() throws IOException {
        TypeInformation<ErrorRecord> info = TypeInformation.of(ErrorRecord.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);

        ErrorRecord diverged =
                new ErrorRecord("r/l", "r", "l", "A", 3, 4, Double.NaN, Double.NaN, 1, true);
        ErrorRecord back = roundTrip(info, diverged);

        assertThat(back).isEqualTo(diverged);
    }

    @Test
    void normRecordIsPojo() throws IOException {
        TypeInformation<NormRecord> info = TypeInformation.of(NormRecord.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);

        NormRecord record = new NormRecord("r/l", "r", "l", "", 3, 4, 0.5, 1.25, 10, false);
        NormRecord back = roundTrip(info, record);

        assertThat(back).isEqualTo(record);
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws IOException {
        TypeSerializer<T> serializer = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(128);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
