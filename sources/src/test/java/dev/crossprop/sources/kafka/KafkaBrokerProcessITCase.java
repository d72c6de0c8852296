package dev.crossprop.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

class KafkaBrokerProcessITCase {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir Path dataDir;

    @Test
    void recordsSurviveKillAndRestart() throws Exception {
        String topic = "durable";
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir)) {
            String servers = broker.bootstrapServers();
            assertThat(servers).matches("127\\.0\\.0\\.1:\\d+");
            KafkaAdmin.ensureTopic(servers, topic, 2, TIMEOUT);
            produce(servers, topic, "before-0", "before-1", "before-2");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThatThrownBy(() -> KafkaAdmin.awaitReachable(servers, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class);

            broker.restart();
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.bootstrapServers()).isEqualTo(servers);
            // Acknowledged with acks=all before the kill, so the restarted broker must serve them.
            assertThat(KafkaTestClients.values(consume(servers, topic, 3)))
                    .containsExactlyInAnyOrder("before-0", "before-1", "before-2");

            produce(servers, topic, "after-0", "after-1");
            assertThat(KafkaTestClients.values(consume(servers, topic, 5)))
                    .containsExactlyInAnyOrder(
                            "before-0", "before-1", "before-2", "after-0", "after-1");
        }
    }

    @Test
    void closeKeepsDataDirectory() throws Exception {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir);
        broker.close();

        assertThat(broker.isRunning()).isFalse();
        assertThat(dataDir.resolve(KafkaBrokerMain.SERVER_PROPERTIES)).exists();
        assertThat(dataDir.resolve(BrokerProperties.LOG_DIR_NAME).resolve("meta.properties"))
                .exists();
        assertThatThrownBy(broker::restart)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    private static void produce(String servers, String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer =
                KafkaTestClients.idempotentProducer(servers)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> consume(
            String servers, String topic, int expectedCount) {
        return KafkaTestClients.consume(servers, topic, expectedCount, "read_committed");
    }
}
