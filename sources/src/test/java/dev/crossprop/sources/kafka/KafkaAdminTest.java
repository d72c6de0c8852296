package dev.crossprop.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

class KafkaAdminTest {

    @Test
    void awaitReachableFailsOnClosedPort() throws IOException {
        String servers = "127.0.0.1:" + closedLoopbackPort();
        Duration timeout = Duration.ofSeconds(2);

        long startNanos = System.nanoTime();
        assertThatThrownBy(() -> KafkaAdmin.awaitReachable(servers, timeout))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Kafka broker at " + servers + " not reachable after 2 s")
                .hasMessageContaining("Check --bootstrap-servers")
                .hasMessageNotContaining("null");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

        // The wait is bounded by the timeout; 10 s leaves room for creating and closing the
        // admin client on a loaded machine.
        assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void awaitReachableRejectsBlankServers() {
        assertThatThrownBy(() -> KafkaAdmin.awaitReachable(" ", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:9092");
    }

    @Test
    void awaitReachableRejectsZeroTimeout() {
        assertThatThrownBy(() -> KafkaAdmin.awaitReachable("127.0.0.1:9092", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout is PT0S");
    }

    @Test
    void awaitReachableRejectsServersWithoutPort() {
        assertThatThrownBy(() -> KafkaAdmin.awaitReachable("127.0.0.1", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap servers '127.0.0.1' are invalid");
    }

    @Test
    void ensureTopicRejectsZeroPartitions() {
        assertThatThrownBy(
                        () ->
                                KafkaAdmin.ensureTopic(
                                        "127.0.0.1:9092", "examples", 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions of topic examples is 0");
    }

    /** Binds a free port on 127.0.0.1 and closes it, so nothing listens there afterwards. */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LoopbackPorts.loopback())) {
            return socket.getLocalPort();
        }
    }
}
