package dev.crossprop.sources.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Formats the storage of a KRaft node when it has never been formatted, then starts a {@link
 * KafkaRaftServer}, the same server class that Kafka's own {@code kafka.Kafka} entry point runs.
 *
 * <p>Kafka 4 refuses to start on an unformatted directory; formatting writes {@code
 * meta.properties} with a new cluster id and the bootstrap metadata at the latest production
 * metadata version. A directory that already has {@code meta.properties} keeps its cluster id and
 * data, which is what a restart on the same data directory needs.
 */
final class KraftServerLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(KraftServerLauncher.class);

    private static final String META_PROPERTIES = "meta.properties";

    private KraftServerLauncher() {}

    /**
     * Formats the storage if needed and starts the server. Returns once the broker and the
     * controller have started; callers still check with a metadata request that clients are served.
     *
     * @throws IOException when formatting fails
     * @throws RuntimeException from Kafka when the configuration is invalid or a port cannot be
     *     bound; the partly started server has been shut down by then
     */
    static KafkaRaftServer start(Map<String, String> properties) throws IOException {
        KafkaConfig config = new KafkaConfig(properties, false);
        formatIfNeeded(properties);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutDownQuietly(server, e);
            throw e;
        }
        return server;
    }

    /** Shuts the server down and waits until its threads have stopped. */
    static void shutDown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void formatIfNeeded(Map<String, String> properties) throws IOException {
        String metadataDirectory = properties.get(BrokerProperties.METADATA_LOG_DIR);
        Set<String> directories = new LinkedHashSet<>(logDirectories(properties));
        if (metadataDirectory != null) {
            directories.add(metadataDirectory);
        }
        if (directories.isEmpty()) {
            throw new IllegalArgumentException(
                    "Neither "
                            + BrokerProperties.LOG_DIRS
                            + " nor "
                            + BrokerProperties.METADATA_LOG_DIR
                            + " is set; set "
                            + BrokerProperties.LOG_DIRS
                            + " to the directory for the broker's data");
        }

        List<String> unformatted = new ArrayList<>();
        for (String directory : directories) {
            if (!Files.exists(Path.of(directory, META_PROPERTIES))) {
                unformatted.add(directory);
            }
        }
        if (unformatted.isEmpty()) {
            LOG.debug("Kafka storage in {} is already formatted", directories);
            return;
        }
        if (unformatted.size() < directories.size()) {
            // Formatting gives a new cluster id, which the formatted directories would reject.
            throw new IllegalStateException(
                    "Kafka storage directories "
                            + unformatted
                            + " are not formatted but others of "
                            + directories
                            + " are; remove the partly formatted data directory and start again");
        }

        String clusterId = Uuid.randomUuid().toString();
        // The formatter reports its progress on a PrintStream; keep it for the debug log, not stdout.
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        Formatter formatter =
                new Formatter()
                        .setPrintStream(
                                new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                        .setNodeId(Integer.parseInt(properties.get("node.id")))
                        .setClusterId(clusterId)
                        .setDirectories(directories)
                        .setControllerListenerName(
                                firstName(properties.get("controller.listener.names")));
        if (metadataDirectory != null) {
            formatter.setMetadataLogDirectory(metadataDirectory);
        }
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IOException(
                    "Failed to format Kafka storage in " + directories + ": " + e.getMessage(), e);
        }
        LOG.info("Formatted Kafka storage in {} with cluster id {}", directories, clusterId);
        LOG.debug("Kafka storage formatter output: {}", formatterOutput.toString(StandardCharsets.UTF_8).trim());
    }

    private static List<String> logDirectories(Map<String, String> properties) {
        String logDirs = properties.get(BrokerProperties.LOG_DIRS);
        List<String> directories = new ArrayList<>();
        if (logDirs != null) {
            for (String directory : logDirs.split(",")) {
                if (!directory.isBlank()) {
                    directories.add(directory.trim());
                }
            }
        }
        return directories;
    }

    private static String firstName(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            throw new IllegalArgumentException(
                    "controller.listener.names is not set; set it to the controller listener,"
                            + " for example "
                            + BrokerProperties.CONTROLLER_LISTENER);
        }
        return commaSeparated.split(",")[0].trim();
    }

    private static void shutDownQuietly(KafkaRaftServer server, Exception startupFailure) {
        try {
            shutDown(server);
        } catch (RuntimeException e) {
            startupFailure.addSuppressed(e);
        }
    }
}
