package dev.crossprop.job.faults;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.taskmanager.TaskManagerLocation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A Flink {@link MiniCluster} in this JVM whose TaskManagers a test can count and terminate, with
 * every wait bounded by a deadline. The REST endpoint binds a free port on 127.0.0.1.
 */
final class TestCluster implements AutoCloseable {

    /** Pause between two polls of a job's state. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final MiniCluster cluster;

    private TestCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts a cluster with one TaskManager of two slots. */
    static TestCluster start() throws Exception {
        return start(1, 2, new Configuration());
    }

    /**
     * Starts a cluster.
     *
     * @param extra settings applied over the defaults of this class, such as a metric reporter
     */
    static TestCluster start(int taskManagers, int slotsPerTaskManager, Configuration extra) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        // The jobs keep their state on the heap: managed memory (RocksDB, batch sorting) stays unused.
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
        conf.addAll(extra);

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slotsPerTaskManager)
                .build());
        try {
            cluster.start();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new TestCluster(cluster);
    }

    MiniCluster miniCluster() {
        return cluster;
    }

    JobID submit(JobGraph job) throws Exception {
        return cluster.submitJob(job).get(60, TimeUnit.SECONDS).getJobID();
    }

    /** Waits until the job has ended and returns its result; a failed job throws its failure. */
    JobResult awaitSuccess(JobID job, Duration timeout) throws Exception {
        JobResult result = get(cluster.requestJobResult(job), timeout, "job " + job + " to end");
        if (!result.isSuccess()) {
            // Rethrows the job's failure with its cause chain.
            result.toJobExecutionResult(getClass().getClassLoader());
            throw new AssertionError("Job " + job + " ended with " + result.getApplicationStatus());
        }
        return result;
    }

    /** Waits until the job is running and at least {@code count} of its checkpoints have completed. */
    void awaitCompletedCheckpoints(JobID job, long count, Duration timeout) throws Exception {
        awaitCondition(() -> completedCheckpoints(job) >= count, timeout,
                count + " completed checkpoints of job " + job);
    }

    long completedCheckpoints(JobID job) {
        AccessExecutionGraph graph = executionGraph(job);
        if (graph.getCheckpointStatsSnapshot() == null) {
            return 0;
        }
        return graph.getCheckpointStatsSnapshot().getCounts().getNumberOfCompletedCheckpoints();
    }

    JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /** Returns whether the job has reached a globally terminal state: finished, failed or canceled. */
    boolean hasEnded(JobID job) {
        try {
            return status(job).isGloballyTerminalState();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Reading the status of job " + job + " failed", e);
        }
    }

    /** Returns the TaskManagers that run a task of the job now. */
    Set<ResourceID> taskManagersOf(JobID job) {
        Set<ResourceID> hosts = new HashSet<>();
        for (AccessExecutionVertex vertex : executionGraph(job).getAllExecutionVertices()) {
            TaskManagerLocation location = vertex.getCurrentAssignedResourceLocation();
            if (location != null) {
                hosts.add(location.getResourceID());
            }
        }
        return hosts;
    }

    /** Terminates the TaskManager at {@code index}, as a lost machine would, and waits until it is gone. */
    void terminateTaskManager(int index, Duration timeout) throws Exception {
        get(cluster.terminateTaskManager(index), timeout, "TaskManager " + index + " to terminate");
    }

    /** Stops the job with a savepoint in {@code directory} and returns the savepoint's path. */
    String stopWithSavepoint(JobID job, Path directory, Duration timeout) throws Exception {
        return get(cluster.stopWithSavepoint(job, directory.toUri().toString(), false, SavepointFormatType.CANONICAL),
                timeout, "a savepoint of job " + job);
    }

    void cancel(JobID job) throws Exception {
        get(cluster.cancelJob(job), Duration.ofSeconds(30), "job " + job + " to cancel");
    }

    private AccessExecutionGraph executionGraph(JobID job) {
        try {
            return cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Reading the execution graph of job " + job + " failed", e);
        }
    }

    /** Polls {@code condition} until it is true or {@code timeout} passes. */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private static <T> T get(CompletableFuture<T> future, Duration timeout, String what) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Timed out after " + timeout + " waiting for " + what, e);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
