package dev.crossprop.sources.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Reports an invalid command line in two or three lines: the error, picocli's suggestions for a
 * mistyped option, and where to find the options. picocli's default handler prints the whole
 * usage text after the error, which pushes the error out of sight for commands with many options.
 * Returns the command's exit code for invalid input (2 unless the command sets another).
 */
public final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    /**
     * Returns a command line for {@code command} that reports usage errors with this handler, and
     * a failure as one line, "{@code name}: message", with exit code 1 and no stack trace.
     */
    static CommandLine commandLine(Object command, String name) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(
                (exception, failed, parseResult) -> {
                    failed.getErr().println(name + ": " + exception.getMessage());
                    failed.getErr().flush();
                    return 1;
                });
        return commandLine;
    }

    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine failed = exception.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println(exception.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Add --help to '" + failed.getCommandSpec().qualifiedName() + "' to list its options.");
        err.flush();
        return failed.getExitCodeExceptionMapper() != null
                ? failed.getExitCodeExceptionMapper().getExitCode(exception)
                : failed.getCommandSpec().exitCodeOnInvalidInput();
    }
}
