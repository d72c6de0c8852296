package dev.crossprop.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of crossprop.jar: dispatches to the subcommands. */
@Command(
        name = "crossprop",
        mixinStandardHelpOptions = true,
        description = "Online training of neural networks with crossprop and backprop on Flink.",
        subcommands = {CommandLine.HelpCommand.class, ReplayCommand.class})
public final class CrosspropCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrosspropCommand()).execute(args));
    }
}
