package dev.crossprop.sources.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The {@code --timeout} option of the commands that talk to a Kafka broker. */
final class BrokerTimeout {

    @Option(
            names = "--timeout",
            defaultValue = "30",
            paramLabel = "SECONDS",
            description =
                    "Give up when the broker does not answer within this many seconds"
                            + " (default: ${DEFAULT-VALUE}).")
    long seconds;

    /** Returns the timeout, or throws the usage error for a value below 1 second. */
    Duration duration(CommandLine commandLine) {
        if (seconds < 1) {
            throw new ParameterException(
                    commandLine, "--timeout is " + seconds + " but must be at least 1 second.");
        }
        return Duration.ofSeconds(seconds);
    }
}
