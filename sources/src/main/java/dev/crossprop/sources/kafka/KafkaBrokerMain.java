package dev.crossprop.sources.kafka;

import kafka.server.KafkaRaftServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Entry point that runs a single-node Kafka 4.2 broker in its own JVM until the process is stopped.
 * {@link KafkaBrokerProcess} and {@code docker/local-cluster.sh} start it.
 *
 * <p>It either reads a complete {@code server.properties} file or builds the single-node settings
 * of {@link BrokerProperties} from a data directory and two ports, writing them to {@code
 * server.properties} in that directory for reference. The storage is formatted on the first start
 * and kept on later ones. A shutdown hook stops the broker cleanly on SIGTERM; after SIGKILL the
 * next start recovers the logs.
 */
@Command(
        name = "kafka-broker",
        mixinStandardHelpOptions = true,
        description = "Runs a single-node Kafka broker (KRaft, broker and controller in one).")
public final class KafkaBrokerMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerMain.class);

    static final String SERVER_PROPERTIES = "server.properties";

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "server.properties to run with; excludes --data-dir and the ports.")
    Path configFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Directory for server.properties and the logs, created if missing.")
    Path dataDir;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--controller-port",
            paramLabel = "PORT",
            defaultValue = "9093",
            description = "Controller port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    public static void main(String[] args) {
        CommandLine commandLine =
                new CommandLine(new KafkaBrokerMain())
                        .setExecutionExceptionHandler(
                                (error, command, parseResult) -> {
                                    LOG.error("Kafka broker failed", error);
                                    command.getErr().println("Kafka broker failed: " + error);
                                    return 1;
                                });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> properties = loadProperties();
        KafkaRaftServer server = KraftServerLauncher.start(properties);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    LOG.info("Stopping Kafka broker");
                                    KraftServerLauncher.shutDown(server);
                                },
                                "kafka-broker-shutdown"));
        LOG.info(
                "Kafka broker started with listeners {}",
                properties.get(BrokerProperties.LISTENERS));
        server.awaitShutdown();
        return 0;
    }

    private Map<String, String> loadProperties() throws Exception {
        if (configFile != null && dataDir != null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--config and --data-dir are both set; pass --config FILE alone, or --data-dir"
                            + " DIR with --port and --controller-port");
        }
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this),
                        "--config " + configFile + " is not a file; pass a server.properties file");
            }
            return BrokerProperties.read(configFile);
        }
        if (dataDir == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "Either --config FILE or --data-dir DIR is required");
        }
        Files.createDirectories(dataDir);
        Map<String, String> properties =
                BrokerProperties.singleNode(
                        dataDir.resolve(BrokerProperties.LOG_DIR_NAME),
                        port,
                        controllerPort,
                        Map.of());
        BrokerProperties.write(
                properties,
                dataDir.resolve(SERVER_PROPERTIES),
                "Written by KafkaBrokerMain at each start; edits are overwritten");
        return properties;
    }
}
