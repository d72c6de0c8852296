package dev.crossprop.job.faults;

import dev.crossprop.sinks.records.ErrorRecord;

import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A test branch off the error stream that fails the learner's task once, after a checkpoint has
 * completed and before the sinks in that task have committed it. It emits nothing.
 *
 * <p>Why the sinks cannot commit first, in Flink 2.2: a task runs the completion notification of
 * a checkpoint as one mail, in which {@code RegularOperatorChain.notifyCheckpointComplete} calls
 * the chained operators one by one, in the order in which {@code OperatorChain} created them. It
 * creates them depth first along each operator's chained outputs, each operator after its
 * downstream ones. An operator's chained outputs keep the order of its edges in the stream graph,
 * which is the order in which the job's code created the downstream operators. Add this
 * branch to the learner's output before the sinks, and it is created, and notified, before every
 * other operator of the chain, the sinks' committers among them. The sinks' committers commit
 * only on that notification, on restore and at the end of input ({@code CommitterOperator}).
 *
 * <p>So on the completion of the first checkpoint N that is the task's latest snapshot and covers
 * at least {@code holdAfterRecords} error records, and new ones since the snapshot before, it signals {@link Probe#blocked} and
 * waits for {@link Probe#release} while the sinks' transactions and part files of N are still
 * pending. The task cannot take another checkpoint while it waits, so N stays the latest
 * completed one. Then it throws {@link InjectedError}, and the job restarts from N and has to
 * commit N on restore. Use it at parallelism 1, so that one task runs all sinks of the error and
 * norm streams.
 */
final class FailBeforeCommitBranch extends RichFlatMapFunction<ErrorRecord, ErrorRecord>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Maximum wait for the test to inspect the output. The failure is thrown after it either way. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(60);

    private final String probeName;
    private final long holdAfterRecords;

    private transient Probe probe;
    private transient long passed;
    private transient long lastSnapshotId;
    private transient long recordsAtLastSnapshot;
    private transient long recordsAtSnapshotBefore;

    FailBeforeCommitBranch(String probeName, long holdAfterRecords) {
        this.probeName = probeName;
        this.holdAfterRecords = holdAfterRecords;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        probe = Probe.get(probeName);
        lastSnapshotId = -1;
    }

    @Override
    public void flatMap(ErrorRecord record, Collector<ErrorRecord> out) {
        // Counts the record, which the sinks receive as well, and emits nothing.
        passed++;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        lastSnapshotId = context.getCheckpointId();
        recordsAtSnapshotBefore = recordsAtLastSnapshot;
        recordsAtLastSnapshot = passed;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws InterruptedException {
        // After a later snapshot in this task, a later checkpoint may complete as well, and the
        // restart would not start from checkpointId. Such a notification is passed over.
        boolean latest = checkpointId == lastSnapshotId;
        boolean enough = recordsAtLastSnapshot >= holdAfterRecords && recordsAtLastSnapshot > recordsAtSnapshotBefore;
        if (!latest || !enough || !probe.failed.compareAndSet(false, true)) {
            return;
        }
        probe.heldCheckpoint.set(checkpointId);
        probe.recordsBeforeCheckpoint.set(recordsAtLastSnapshot);
        probe.recordsBeforePreviousCheckpoint.set(recordsAtSnapshotBefore);
        probe.blocked.countDown();
        boolean released = probe.release.await(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        throw new InjectedError("Injected failure after checkpoint " + checkpointId + " completed and before the sinks"
                + " committed it" + (released ? "" : "; the test did not release the task within " + RELEASE_TIMEOUT));
    }

    /**
     * The failure this branch throws. It is an {@link Error}, because {@code
     * RegularOperatorChain.notifyCheckpointComplete} (Flink 2.2) catches an {@link Exception} of one
     * operator, notifies the remaining operators, the committers among them, and only then
     * rethrows it. An Error leaves that loop at once. {@code Task} treats only {@link InternalError},
     * {@link UnknownError}, {@link ThreadDeath} and, when configured, {@link OutOfMemoryError} as
     * fatal to the JVM, so this one fails the task and the job restarts.
     */
    static final class InjectedError extends Error {

        private static final long serialVersionUID = 1L;

        InjectedError(String message) {
            super(message);
        }
    }
}
