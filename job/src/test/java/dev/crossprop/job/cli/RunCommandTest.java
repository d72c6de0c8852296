package dev.crossprop.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Options of {@code run} that are rejected before it contacts a broker or a cluster. */
class RunCommandTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 129, 200})
    void parallelismOutsideKeyGroupsIsRejected(int parallelism) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // The bootstrap address is never contacted: the option check comes first.
        int exit = new CommandLine(new RunCommand(new PrintStream(err, true, StandardCharsets.UTF_8))).execute(
                "--config", "../conf/geoff-quick.yaml", "--bootstrap-servers", "127.0.0.1:9",
                "--parallelism", Integer.toString(parallelism));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).trim())
                .isEqualTo("Invalid --parallelism " + parallelism + "; allowed: 1 to 128");
    }
}
