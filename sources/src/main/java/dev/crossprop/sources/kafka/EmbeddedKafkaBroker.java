package dev.crossprop.sources.kafka;

import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka 4.2 broker running inside this JVM, for local runs and tests.
 *
 * <p>The node is broker and controller at once (KRaft combined mode, no ZooKeeper), listens on two
 * free ports of 127.0.0.1 and keeps its data in a fresh temporary directory that {@link #close()}
 * deletes. {@link #start()} returns once the broker responds to a metadata request. The settings
 * are those of {@link BrokerProperties}; {@link #start(Map)} replaces or adds entries.
 *
 * <p>Instances are safe to use from several threads; {@link #close()} is idempotent. For a broker
 * that can be killed and restarted on the same data, use {@link KafkaBrokerProcess}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** Maximum time from starting the server until it responds to a metadata request. */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** Maximum time for creating a topic and waiting for its partition leaders. */
    static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, KafkaRaftServer server, int brokerPort) {
        this.dataDir = dataDir;
        this.server = server;
        this.bootstrapServers = BrokerProperties.HOST + ":" + brokerPort;
    }

    /** Starts a broker with the default single-node settings. */
    public static EmbeddedKafkaBroker start() throws IOException {
        return start(Map.of());
    }

    /**
     * Starts a broker whose settings are the single-node defaults with {@code overrides} applied
     * last. The listeners and directories are chosen here; overriding them is possible but then
     * {@link #bootstrapServers()} and {@link #close()} no longer match what the broker uses.
     *
     * @throws IOException when the data directory cannot be created or formatted
     * @throws IllegalStateException when the broker does not respond within 60 seconds; the broker
     *     is stopped and its directory deleted by then
     */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) throws IOException {
        try {
            return startOnFreePorts(overrides);
        } catch (RuntimeException e) {
            if (!LoopbackPorts.isBindFailure(e)) {
                throw e;
            }
            // Another process took a port between the probe and the bind; new ports usually work.
            LOG.warn("Kafka broker could not bind its ports, retrying once with new ports", e);
            return startOnFreePorts(overrides);
        }
    }

    private static EmbeddedKafkaBroker startOnFreePorts(Map<String, String> overrides)
            throws IOException {
        long startNanos = System.nanoTime();
        int[] ports = LoopbackPorts.findFree(2);
        Path dataDir = Files.createTempDirectory("crossprop-kafka-");
        Map<String, String> properties =
                BrokerProperties.singleNode(
                        dataDir.resolve(BrokerProperties.LOG_DIR_NAME),
                        ports[0],
                        ports[1],
                        overrides);

        KafkaRaftServer server = null;
        try {
            server = KraftServerLauncher.start(properties);
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, server, ports[0]);
            KafkaAdmin.awaitReachable(broker.bootstrapServers, STARTUP_TIMEOUT);
            LOG.info(
                    "Started Kafka broker at {} (controller port {}) in {} ms, data in {}",
                    broker.bootstrapServers,
                    ports[1],
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    dataDir);
            return broker;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                try {
                    KraftServerLauncher.shutDown(server);
                } catch (RuntimeException shutdownError) {
                    e.addSuppressed(shutdownError);
                }
            }
            deleteQuietly(dataDir, e);
            throw e;
        }
    }

    /** Returns the client address, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Returns the directory of the broker's data until {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     *
     * @throws IllegalArgumentException when the name is blank or {@code partitions < 1}
     * @throws IllegalStateException when the topic exists already, or the broker does not create it
     *     within 30 seconds
     */
    public void createTopic(String name, int partitions) {
        KafkaAdmin.checkTopic(name, partitions);
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        try (Admin admin = KafkaAdmin.openAdmin(bootstrapServers, TOPIC_TIMEOUT)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(KafkaAdmin.remainingMillis(deadline), TimeUnit.MILLISECONDS);
            KafkaAdmin.awaitLeaders(admin, bootstrapServers, name, TOPIC_TIMEOUT, deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new IllegalStateException(
                        "Topic "
                                + name
                                + " exists already on the broker at "
                                + bootstrapServers
                                + "; use another topic name in each test",
                        e.getCause());
            }
            throw new IllegalStateException(
                    "Creating topic " + name + " at " + bootstrapServers + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Creating topic "
                            + name
                            + " at "
                            + bootstrapServers
                            + " timed out after "
                            + TOPIC_TIMEOUT,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    /** Stops the broker, waits for its threads to end and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        try {
            KraftServerLauncher.shutDown(server);
        } finally {
            deleteRecursively(dataDir);
        }
        LOG.info(
                "Stopped Kafka broker at {} in {} ms",
                bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private static void deleteQuietly(Path directory, Exception failure) {
        try {
            deleteRecursively(directory);
        } catch (UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Deletes a directory tree; a file that is already gone is not an error. */
    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(
                    directory,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e)
                                throws IOException {
                            if (e instanceof NoSuchFileException) {
                                return FileVisitResult.CONTINUE;
                            }
                            throw e;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e)
                                throws IOException {
                            if (e != null && !(e instanceof NoSuchFileException)) {
                                throw e;
                            }
                            Files.deleteIfExists(dir);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to delete " + directory, e);
        }
    }
}
