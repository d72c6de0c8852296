package dev.crossprop.job.cli;

import dev.crossprop.sinks.report.ReportCommand;
import dev.crossprop.sources.cli.ConsumeCommand;
import dev.crossprop.sources.cli.ProduceCommand;

import dev.crossprop.sources.cli.UsageErrorHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of crossprop.jar: dispatches to the subcommands. */
@Command(
        name = "crossprop",
        mixinStandardHelpOptions = true,
        versionProvider = CrosspropCommand.Version.class,
        description = "Online training of neural networks with crossprop and backprop on Flink.",
        subcommands = {
            CommandLine.HelpCommand.class,
            LocalCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            ReportCommand.class
        })
public final class CrosspropCommand implements Runnable {

    /** Prints the build's version, from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"crossprop " + dev.crossprop.job.Manifest.codeVersion()};
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Returns the command line of crossprop.jar. A command that fails prints its error and the
     * chain of causes, without a stack trace unless {@code CROSSPROP_STACKTRACE} is set, and
     * exits with 1. An invalid command line prints the error and a hint, and exits with 2.
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new CrosspropCommand());
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            StringBuilder message = new StringBuilder(failed.getCommandName()).append(": ").append(exception.getMessage());
            for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
                if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                    message.append(System.lineSeparator()).append("  caused by: ").append(cause.getMessage());
                }
            }
            failed.getErr().println(message);
            if (System.getenv("CROSSPROP_STACKTRACE") != null) {
                exception.printStackTrace(failed.getErr());
            }
            failed.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
