package dev.crossprop.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink session cluster (one JobManager, two TaskManagers) and a Kafka broker started by
 * {@code docker/local-cluster.sh}, each process in its own JVM on 127.0.0.1. Every port is a
 * free one chosen at start and the run directory is the caller's, so a cluster that a developer
 * runs on the default ports is left alone.
 *
 * <p>{@link #close()} runs {@code local-cluster.sh stop}. A shutdown hook runs it as well when the
 * JVM exits before {@code close()}, so no cluster process outlives the test run unless the JVM
 * itself is killed.
 */
final class LocalCluster implements AutoCloseable {

    /** Startup limit passed to the script; a loaded two-core machine needs about a minute. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    /** Limit of the script as a whole: fetching the Flink jars on a first run, then the startup. */
    private static final Duration START_COMMAND_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final Path repoRoot;
    private final Path runDir;
    private final Path commandLogDir;
    private Map<String, String> environment;
    private final int restPort;
    private final int kafkaPort;
    private final Thread stopHook;
    private int commandCount;
    private boolean stopped;

    private LocalCluster(Path repoRoot, Path runDir, int[] ports) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.commandLogDir = runDir.resolveSibling(runDir.getFileName() + "-commands");
        this.restPort = ports[0];
        this.kafkaPort = ports[3];
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CROSSPROP_RUN_DIR", runDir.toString());
        env.put("CROSSPROP_REST_PORT", Integer.toString(ports[0]));
        env.put("CROSSPROP_JOBMANAGER_RPC_PORT", Integer.toString(ports[1]));
        env.put("CROSSPROP_BLOB_PORT", Integer.toString(ports[2]));
        env.put("CROSSPROP_KAFKA_PORT", Integer.toString(ports[3]));
        env.put("CROSSPROP_KAFKA_CONTROLLER_PORT", Integer.toString(ports[4]));
        env.put("CROSSPROP_STARTUP_TIMEOUT", Long.toString(STARTUP_TIMEOUT.toSeconds()));
        this.environment = Map.copyOf(env);
        this.stopHook = new Thread(this::stopQuietly, "local-cluster-stop");
    }

    /**
     * Starts a cluster whose pids, logs, checkpoints and Kafka data go to {@code runDir}, deleting
     * what an earlier run left there. Returns once the REST API lists both TaskManagers and the
     * script has checked that every process listens on 127.0.0.1 only.
     */
    static LocalCluster start(Path repoRoot, Path runDir) throws IOException, InterruptedException {
        LocalCluster cluster = new LocalCluster(repoRoot, runDir, freeLoopbackPorts(5));
        // Stop whatever an aborted earlier run left behind in this run directory, then start
        // from empty Kafka logs and checkpoints.
        cluster.script("stop", STOP_TIMEOUT);
        deleteRecursively(runDir);
        Runtime.getRuntime().addShutdownHook(cluster.stopHook);
        try {
            cluster.script("start", START_COMMAND_TIMEOUT);
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Stops the cluster and starts it again in the same run directory, on the same ports, with
     * {@code sharedJobJar} on the class path of the JobManager and the TaskManagers
     * ({@code CROSSPROP_SHARED_JOB_JAR}). Kafka keeps its topics across the restart.
     */
    synchronized void restartWithSharedJobJar(Path sharedJobJar) throws IOException, InterruptedException {
        script("stop", STOP_TIMEOUT);
        Map<String, String> env = new HashMap<>(environment);
        env.put("CROSSPROP_SHARED_JOB_JAR", sharedJobJar.toString());
        environment = Map.copyOf(env);
        script("start", START_COMMAND_TIMEOUT);
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    int restPort() {
        return restPort;
    }

    int kafkaPort() {
        return kafkaPort;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    Path runDir() {
        return runDir;
    }

    /**
     * Runs {@code java -jar crossprop.jar ARGS...} in the repository root and returns its output.
     */
    String crosspropJar(Path jar, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return Commands.run(command, repoRoot, environment, nextLog("crossprop-" + args[0]), timeout);
    }

    /**
     * Submits a jar with {@code docker/flink.sh run --detached JAR ARGS...}, Flink's command-line
     * client, and returns the id of the submitted job.
     */
    String submitDetached(Path jar, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", repoRoot.resolve("docker/flink.sh").toString(),
                "run", "--detached", jar.toString()));
        command.addAll(List.of(args));
        String output = Commands.run(command, repoRoot, environment, nextLog("flink-run"), timeout);
        Matcher matcher = JOB_ID.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("flink run printed no job id:\n" + output);
        }
        return matcher.group(1);
    }

    /**
     * Returns the process of a running TaskManager, such as {@code taskmanager-2}, from the pid
     * file that the script wrote, after checking that the pid still runs TaskManagerRunner.
     */
    ProcessHandle taskManager(String name) throws IOException {
        Path pidFile = runDir.resolve("pids").resolve(name + ".pid");
        long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(
                () -> new IllegalStateException(name + " (pid " + pid + " from " + pidFile + ") is not running"));
        String commandLine = process.info().commandLine().orElse("");
        if (!commandLine.contains("org.apache.flink.runtime.taskexecutor.TaskManagerRunner")) {
            throw new IllegalStateException("pid " + pid + " of " + pidFile + " is not a TaskManager: " + commandLine);
        }
        return process;
    }

    /** Stops every process of the cluster with {@code local-cluster.sh stop}; repeated calls do nothing. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook runs this method already.
        }
        script("stop", STOP_TIMEOUT);
    }

    private void stopQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            // Nothing is left to report to at JVM exit; the stop log has the details.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void script(String action, Duration timeout) throws IOException, InterruptedException {
        List<String> command = List.of("bash", repoRoot.resolve("docker/local-cluster.sh").toString(), action);
        Commands.run(command, repoRoot, environment, nextLog("local-cluster-" + action), timeout);
    }

    private synchronized Path nextLog(String name) {
        commandCount++;
        return commandLogDir.resolve(String.format("%02d-%s.log", commandCount, name));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Finds distinct free TCP ports on 127.0.0.1. The probe sockets are closed before the cluster
     * binds the ports, so another program can take one in between; the script then stops with
     * "port ... is in use".
     */
    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
