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
