package dev.crossprop.sources.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One run of the {@code consume} command in the test JVM, with its exit code, the record lines it
 * wrote to standard output, and what it wrote to standard error.
 */
record ConsumeRun(int exitCode, String out, String err) {

    /** Runs {@code consume} with {@code args} and captures its output streams. */
    static ConsumeRun execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ConsumeCommand.commandLine(new ConsumeCommand(out));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        int exitCode = commandLine.execute(args);
        return new ConsumeRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /**
     * Returns the lines of standard output, without their line breaks. The command writes no
     * carriage return, because it prints text that contains one in base64.
     */
    List<String> lines() {
        return out.lines().toList();
    }
}
