package dev.crossprop.sources.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka 4.2 broker in a child JVM, for tests that kill and restart the broker and for
 * local clusters.
 *
 * <p>The child runs {@link KafkaBrokerMain} with this JVM's class path and the {@code
 * server.properties} that {@link #start(Path)} writes into the data directory; its standard output
 * and error are appended to {@code broker.log} there. The two ports on 127.0.0.1 are picked once,
 * so {@link #restart()} brings the broker back at the same {@link #bootstrapServers()} with the
 * same data. {@link #stop()} kills the process without a clean shutdown, as a crash would.
 *
 * <p>The caller owns the data directory: {@link #close()} stops the process but keeps the files. A
 * JVM shutdown hook kills the child if this JVM exits before {@link #close()}.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcess.class);

    /** Maximum time from launching the child until the broker responds to a metadata request. */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    /** Maximum time that {@link #stop()} waits for the killed process to exit. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Time of one reachability probe while the child starts. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    static final String LOG_FILE = "broker.log";

    /**
     * Shorter broker session than Kafka's default of 9 s. After a kill, the restarted controller
     * still has the dead broker's registration and accepts the new one only when that session has
     * expired, so the session timeout adds directly to every restart.
     */
    static final Map<String, String> FAST_RESTART =
            Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500");

    /** Heap of the child JVM; enough for a broker with test and example topics. */
    private static final String MAX_HEAP = "-Xmx512m";

    private final Path dataDir;
    private final Path configFile;
    private final Path logFile;
    private final String bootstrapServers;
    private final Thread killOnExit;
    // Volatile so that the shutdown hook reads it without the lock that a stuck caller may hold.
    private volatile Process process;
    private boolean closed;

    /** Size of the log file when the current child was launched, so only its output is read. */
    private long logStart;

    private KafkaBrokerProcess(Path dataDir, int brokerPort) {
        this.dataDir = dataDir;
        this.configFile = dataDir.resolve(KafkaBrokerMain.SERVER_PROPERTIES);
        this.logFile = dataDir.resolve(LOG_FILE);
        this.bootstrapServers = BrokerProperties.HOST + ":" + brokerPort;
        this.killOnExit = new Thread(this::killQuietly, "kill-kafka-broker-process");
    }

    /** Starts a broker process with the default single-node settings in {@code dataDir}. */
    public static KafkaBrokerProcess start(Path dataDir) throws IOException {
        return start(dataDir, Map.of());
    }

    /**
     * Starts a broker process whose data lives in {@code dataDir}, created if missing. Data from an
     * earlier broker in the same directory is kept and served again.
     *
     * @param overrides settings that replace or extend the single-node defaults and {@link
     *     #FAST_RESTART}
     * @throws IOException when the directory or the configuration cannot be written, or the child
     *     cannot be launched
     * @throws IllegalStateException when the child exits during startup or does not respond within
     *     90 seconds; the message contains the end of {@code broker.log}
     */
    public static KafkaBrokerProcess start(Path dataDir, Map<String, String> overrides)
            throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException(
                    "dataDir is null; pass a directory for the broker's data, such as a @TempDir");
        }
        Files.createDirectories(dataDir);
        try {
            return startOnFreePorts(dataDir, overrides);
        } catch (BindRaceException e) {
            // Another process took a port between the probe and the child's bind.
            LOG.warn(
                    "Kafka broker process could not bind its ports, retrying once: {}",
                    e.getMessage());
            return startOnFreePorts(dataDir, overrides);
        }
    }

    private static KafkaBrokerProcess startOnFreePorts(Path dataDir, Map<String, String> overrides)
            throws IOException {
        int[] ports = LoopbackPorts.findFree(2);
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dataDir, ports[0]);
        Map<String, String> settings = new HashMap<>(FAST_RESTART);
        settings.putAll(overrides);
        Map<String, String> properties =
                BrokerProperties.singleNode(
                        dataDir.resolve(BrokerProperties.LOG_DIR_NAME),
                        ports[0],
                        ports[1],
                        settings);
        BrokerProperties.write(
                properties, broker.configFile, "Written by KafkaBrokerProcess for KafkaBrokerMain");
        Runtime.getRuntime().addShutdownHook(broker.killOnExit);
        try {
            broker.launch();
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** Returns the client address, {@code 127.0.0.1:PORT}, the same after every restart. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the directory that contains {@code server.properties}, the logs and {@code
     * broker.log}.
     */
    public Path dataDir() {
        return dataDir;
    }

    /** Returns the file that receives the child's standard output and error. */
    public Path logFile() {
        return logFile;
    }

    /** Returns true while the child process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Kills the child process, like SIGKILL, and waits until it has exited. Does nothing when it is
     * not running.
     *
     * @throws IllegalStateException when the process has not exited after 30 seconds
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "Kafka broker process "
                                + process.pid()
                                + " at "
                                + bootstrapServers
                                + " did not exit within "
                                + STOP_TIMEOUT
                                + " after it was killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "Interrupted while stopping the Kafka broker process", e);
        }
        LOG.info("Killed Kafka broker process {} at {}", process.pid(), bootstrapServers);
        process = null;
    }

    /**
     * Starts the broker again on the same ports and data directory, killing it first if it is still
     * running, and waits until it serves requests.
     *
     * @throws IllegalStateException after {@link #close()}, or when the broker does not come back
     *     within 90 seconds
     */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IllegalStateException(
                    "Kafka broker process at " + bootstrapServers + " is closed; start a new one");
        }
        stop();
        launch();
    }

    /** Kills the child process if it runs; the data directory stays. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down, so the hook runs anyway and finds nothing to do.
        }
    }

    private synchronized void launch() throws IOException {
        long startNanos = System.nanoTime();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(MAX_HEAP);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KafkaBrokerMain.class.getName());
        command.add("--config");
        command.add(configFile.toString());

        logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        process =
                new ProcessBuilder(command)
                        .directory(dataDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
        awaitServing();
        LOG.info(
                "Started Kafka broker process {} at {} in {} ms, data in {}",
                process.pid(),
                bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                dataDir);
    }

    private void awaitServing() throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        IllegalStateException lastFailure = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String logTail = readLogTail();
                String message =
                        "Kafka broker process exited with code "
                                + process.exitValue()
                                + " during startup; the end of "
                                + logFile
                                + " reads:\n"
                                + logTail;
                process = null;
                if (logTail.contains("BindException")
                        || logTail.contains("Address already in use")) {
                    throw new BindRaceException(message);
                }
                throw new IllegalStateException(message);
            }
            try {
                KafkaAdmin.awaitReachable(bootstrapServers, PROBE_TIMEOUT);
                return;
            } catch (IllegalStateException e) {
                lastFailure = e;
            }
        }
        stop();
        throw new IllegalStateException(
                "Kafka broker process at "
                        + bootstrapServers
                        + " did not respond within "
                        + STARTUP_TIMEOUT
                        + " and was killed; the end of "
                        + logFile
                        + " reads:\n"
                        + readLogTail(),
                lastFailure);
    }

    /** Returns the last 30 lines that the current child wrote to the log file. */
    private String readLogTail() throws IOException {
        if (!Files.exists(logFile)) {
            return "(no log file)";
        }
        byte[] bytes = Files.readAllBytes(logFile);
        int start = (int) Math.min(logStart, bytes.length);
        String output = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        List<String> lines = output.lines().toList();
        int tailLines = 30;
        return String.join(
                "\n", lines.subList(Math.max(0, lines.size() - tailLines), lines.size()));
    }

    private void killQuietly() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    /** Startup failure caused by a port that another process bound first. */
    private static final class BindRaceException extends IllegalStateException {
        BindRaceException(String message) {
            super(message);
        }
    }
}
