package dev.crossprop.job.flink;

import dev.crossprop.job.types.RawExample;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Passes every Kafka record on with its position, unparsed, so that parsing failures can go to
 * the dead-letter output with the original bytes instead of failing the source.
 */
public final class RawExampleDeserializer implements KafkaRecordDeserializationSchema<RawExample> {

    private static final long serialVersionUID = 1L;

    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawExample> out) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        out.collect(new RawExample(record.topic(), record.partition(), record.offset(), key, value));
    }

    @Override
    public TypeInformation<RawExample> getProducedType() {
        return TypeInformation.of(RawExample.class);
    }
}
