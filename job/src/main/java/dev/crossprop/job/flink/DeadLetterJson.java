package dev.crossprop.job.flink;

import dev.crossprop.job.types.DeadLetter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;

/**
 * JSON form of a dead letter: reason, message, topic, partition, offset, run and index when
 * known, the original bytes in base64 ({@code value_base64}), their length ({@code value_size})
 * and whether {@code value_base64} holds only their start ({@code value_truncated}, for records
 * longer than {@link DeadLetter#MAX_VALUE_BYTES}).
 */
public final class DeadLetterJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetterJson() {}

    public static String toJson(DeadLetter letter) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("reason", letter.reason());
        node.put("message", letter.message());
        node.put("topic", letter.topic());
        node.put("partition", letter.partition());
        node.put("offset", letter.offset());
        if (letter.run() != null) {
            node.put("run", letter.run());
        }
        if (letter.index() >= 0) {
            node.put("index", letter.index());
        }
        node.put("value_base64", Base64.getEncoder().encodeToString(letter.value()));
        node.put("value_size", letter.valueSize());
        node.put("value_truncated", letter.truncated());
        return node.toString();
    }
}
