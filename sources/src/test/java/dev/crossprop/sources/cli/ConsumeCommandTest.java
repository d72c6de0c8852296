package dev.crossprop.sources.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.sources.cli.ConsumeCommand.DurationConverter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** Tests of the {@code consume} command that need no broker: options, usage errors, durations. */
class ConsumeCommandTest {

    /** A port that nothing listens on is never contacted, because the options fail first. */
    private static final String SERVERS = "127.0.0.1:9";

    @Test
    void missingTopicIsUsageError() {
        ConsumeRun run = ConsumeRun.execute("--bootstrap-servers", SERVERS);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--topic=<topic>'");
        assertThat(run.err()).contains("Add --help to 'consume'");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--max-records | 0 | --max-records is 0 but must be at least 1",
                "--max-records | x | Invalid value for option '--max-records': 'x' is not a long",
                "--timeout | 0 | --timeout is 0 but must be at least 1 second",
                "--idle-timeout | 5x | Invalid value for option '--idle-timeout': '5x' is not a"
                        + " duration; use milliseconds or a value such as 500ms, 10s, 2min",
                "--idle-timeout | 0s | '0s' is not positive",
            })
    void invalidOptionValueIsUsageError(String option, String value, String message) {
        ConsumeRun run =
                ConsumeRun.execute("--bootstrap-servers", SERVERS, "--topic", "t", option, value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    @Test
    void blankTopicIsUsageError() {
        ConsumeRun run = ConsumeRun.execute("--bootstrap-servers", SERVERS, "--topic", " ");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("--topic is empty; name a topic such as geoff-quick-errors.");
    }

    @Test
    void followWithIdleTimeoutIsUsageError() {
        ConsumeRun run =
                ConsumeRun.execute(
                        "--bootstrap-servers", SERVERS, "--topic", "t", "--follow",
                        "--idle-timeout", "2s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--follow waits until Ctrl-C, so it ignores --idle-timeout");
    }

    @Test
    void serversWithoutPortIsUsageError() {
        ConsumeRun run = ConsumeRun.execute("--bootstrap-servers", "127.0.0.1", "--topic", "t");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("bootstrap servers '127.0.0.1' are invalid");
    }

    @Test
    void unreachableBrokerFailsWithExitOne() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String servers = "127.0.0.1:" + port;

        ConsumeRun run =
                ConsumeRun.execute(
                        "--bootstrap-servers", servers, "--topic", "t", "--timeout", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        // The message of KafkaAdmin.awaitReachable, behind the command's name.
        assertThat(run.err())
                .startsWith("consume: Kafka broker at " + servers + " not reachable after 1 s");
        assertThat(run.err()).contains("Check --bootstrap-servers");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"500ms, 500", "10s, 10000", "2min, 120000", "1500, 1500", "' 3 S ', 3000"})
    void durationSyntaxOfExperimentFiles(String text, long millis) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "1.5s", "-1s", "0", "10h", "999999999999999999min"})
    void durationRejectsInvalidText(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageStartingWith("'" + text + "' is not")
                .hasMessageContaining("500ms, 10s, 2min");
    }

    @ParameterizedTest(name = "{0} ms formats as {1}")
    @CsvSource({"500, 500ms", "5000, 5s", "1500, 1500ms", "120000, 2min", "90000, 90s"})
    void durationFormatsInLargestExactUnit(long millis, String text) {
        assertThat(DurationConverter.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
