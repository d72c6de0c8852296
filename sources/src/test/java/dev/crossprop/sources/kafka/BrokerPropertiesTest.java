package dev.crossprop.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class BrokerPropertiesTest {

    @TempDir Path dataDir;

    @Test
    void singleNodeListensOnLoopbackOnly() {
        Map<String, String> properties =
                BrokerProperties.singleNode(dataDir, 19092, 19093, Map.of());

        assertThat(properties)
                .containsEntry(
                        "listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("auto.create.topics.enable", "false");
        // The job compares its sink timeout with Kafka's own default, so none is set here.
        assertThat(properties).doesNotContainKey("transaction.max.timeout.ms");
    }

    @Test
    void overridesReplaceDefaults() {
        Map<String, String> properties =
                BrokerProperties.singleNode(
                        dataDir,
                        19092,
                        19093,
                        Map.of("num.partitions", "4", "log.retention.ms", "-1"));

        assertThat(properties)
                .containsEntry("num.partitions", "4")
                .containsEntry("log.retention.ms", "-1");
    }

    @Test
    void singleNodeRejectsSharedPort() {
        assertThatThrownBy(() -> BrokerProperties.singleNode(dataDir, 19092, 19092, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both 19092");
    }

    @Test
    void singleNodeRejectsPortOutOfRange() {
        assertThatThrownBy(() -> BrokerProperties.singleNode(dataDir, 0, 19093, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broker port is 0")
                .hasMessageContaining("[1, 65535]");
    }

    @Test
    void writeThenReadRoundTripsSorted() throws Exception {
        Map<String, String> properties =
                BrokerProperties.singleNode(dataDir, 19092, 19093, Map.of());
        Path file = dataDir.resolve("server.properties");

        BrokerProperties.write(properties, file, "test");

        assertThat(BrokerProperties.read(file)).isEqualTo(properties);
        List<String> keys =
                Files.readAllLines(file).stream()
                        .filter(line -> !line.startsWith("#"))
                        .map(line -> line.substring(0, line.indexOf('=')))
                        .toList();
        assertThat(keys).isSorted().hasSize(properties.size());
    }
}
