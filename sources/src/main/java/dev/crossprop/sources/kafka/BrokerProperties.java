package dev.crossprop.sources.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Server properties of a single-node Kafka 4.2 broker in KRaft combined mode: one process is both
 * broker and controller, node id 1, listening on 127.0.0.1 only.
 *
 * <p>Every internal topic gets replication factor 1 and min.insync.replicas 1, because a single
 * node cannot hold more replicas. Topics are never created automatically, so that a mistyped topic
 * name fails instead of creating an empty topic. The broker's {@code transaction.max.timeout.ms}
 * stays at Kafka's default of 15 minutes, since the job checks its transactional sink timeout
 * against the broker's value.
 */
final class BrokerProperties {

    /** Host that every listener binds to and advertises. */
    static final String HOST = "127.0.0.1";

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Name of the sub-directory of the data directory that contains the logs and metadata. */
    static final String LOG_DIR_NAME = "kafka-logs";

    static final String LOG_DIRS = "log.dirs";
    static final String METADATA_LOG_DIR = "metadata.log.dir";
    static final String LISTENERS = "listeners";
    static final String ADVERTISED_LISTENERS = "advertised.listeners";
    static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";

    private BrokerProperties() {}

    /**
     * Builds the properties of a single-node broker.
     *
     * @param logDir directory for partition logs and the metadata log, created on format
     * @param brokerPort client port of the PLAINTEXT listener on 127.0.0.1
     * @param controllerPort port of the CONTROLLER listener on 127.0.0.1
     * @param overrides entries that replace or extend the defaults, applied last
     * @return a sorted, modifiable map
     */
    static Map<String, String> singleNode(
            Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        checkPort("broker port", brokerPort);
        checkPort("controller port", controllerPort);
        if (brokerPort == controllerPort) {
            throw new IllegalArgumentException(
                    "broker port and controller port are both "
                            + brokerPort
                            + ", but the two listeners need different ports");
        }

        Map<String, String> properties = new TreeMap<>();
        String logDirPath = logDir.toAbsolutePath().toString();

        // Roles, identity and listeners.
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put(
                LISTENERS,
                BROKER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + brokerPort
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + controllerPort);
        properties.put(ADVERTISED_LISTENERS, BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("inter.broker.listener.name", BROKER_LISTENER);
        properties.put(
                "listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");

        // Storage: one directory for the partition logs and the metadata log.
        properties.put(LOG_DIRS, logDirPath);
        properties.put(METADATA_LOG_DIR, logDirPath);

        // A single node can hold one replica of every topic, internal ones included.
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("default.replication.factor", "1");
        properties.put("min.insync.replicas", "1");

        // Fewer internal partitions than the default 50, because the coordinators create and
        // load each one on first use, which slows the first consumer group or transaction.
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.num.partitions", "5");

        // Topics and groups.
        properties.put("num.partitions", "1");
        properties.put("auto.create.topics.enable", "false");
        properties.put("group.initial.rebalance.delay.ms", "0");

        // The log cleaner allocates its dedupe buffer when its thread starts; Kafka's 128 MiB
        // default is more than the compacted internal topics of one local broker need.
        properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));

        properties.putAll(overrides);
        return properties;
    }

    /** Writes the properties to a file in the {@code server.properties} format. */
    static void write(Map<String, String> properties, Path file, String comment)
            throws IOException {
        // Sorted keys make the file easy to read; Properties.store on Java 17 iterates entrySet().
        Properties javaProperties =
                new Properties() {
                    @Override
                    public Set<Map.Entry<Object, Object>> entrySet() {
                        Set<Map.Entry<Object, Object>> sorted =
                                new TreeSet<>(
                                        Comparator.comparing(entry -> entry.getKey().toString()));
                        sorted.addAll(super.entrySet());
                        return Collections.synchronizedSet(sorted);
                    }
                };
        javaProperties.putAll(properties);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            javaProperties.store(writer, comment);
        }
    }

    /** Reads a {@code server.properties} file into a sorted map. */
    static Map<String, String> read(Path file) throws IOException {
        Properties javaProperties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            javaProperties.load(reader);
        }
        Map<String, String> properties = new TreeMap<>();
        javaProperties
                .stringPropertyNames()
                .forEach(name -> properties.put(name, javaProperties.getProperty(name)));
        return properties;
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    name
                            + " is "
                            + port
                            + ", but a TCP port must be in [1, 65535]; pick a free port such as"
                            + " 9092");
        }
    }
}
