package dev.crossprop.job.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands (the cluster scripts, {@code java -jar crossprop.jar}) with a deadline,
 * their standard output and error merged into a log file, so that a failed test points to the
 * file that explains it.
 */
final class Commands {

    /** Lines of the log that a failure message repeats. */
    private static final int TAIL_LINES = 30;

    private Commands() {}

    /**
     * Runs {@code command} in {@code workingDir} and returns its output.
     *
     * @param environment variables added to this JVM's environment
     * @param log file that receives the merged output, replaced if present
     * @throws IllegalStateException when the command exits with a non-zero code or runs longer
     *     than {@code timeout}; the message has the end of the output and the log file
     */
    static String run(List<String> command, Path workingDir, Map<String, String> environment, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("Command timed out after " + timeout.toSeconds() + " s: "
                    + String.join(" ", command) + "\n" + tail(log) + "\n(full output in " + log + ")");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Command failed with exit code " + process.exitValue() + ": "
                    + String.join(" ", command) + "\n" + tail(log) + "\n(full output in " + log + ")");
        }
        return output;
    }

    /** Returns the last lines of a log file, or a note that it cannot be read. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
