package dev.crossprop.job.flink;

import dev.crossprop.job.types.RawExample;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes every Kafka record on with its position and key, unparsed, so that parsing failures can
 * go to the dead-letter output with the original bytes instead of failing the source.
 */
public final class RawExampleDeserializer implements KafkaRecordDeserializationSchema<RawExample> {

    private static final long serialVersionUID = 1L;

    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawExample> out) {
        byte[] key = record.key() == null ? EMPTY : record.key();
        byte[] value = record.value() == null ? EMPTY : record.value();
        out.collect(new RawExample(record.topic(), record.partition(), record.offset(), key, value));
    }

    @Override
    public TypeInformation<RawExample> getProducedType() {
        return TypeInformation.of(RawExample.class);
    }
}
