package dev.crossprop.job.faults;

import dev.crossprop.sinks.records.ErrorRecord;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.time.Duration;

/**
 * A test step on the error stream, chained into the task of the learner and the sinks, that fails
 * that task once after a checkpoint has completed but before the sinks have committed it.
 *
 * <p>The sinks commit a checkpoint's Kafka transactions and files when the checkpoint's completion
 * notification runs in their task's mailbox, and the mailbox runs nothing while {@link #map}
 * blocks. So after the first checkpoint taken past {@code holdAfterRecords} records, this map
 * blocks on the next record until the {@link ProbeMap} in the source task is notified that
 * the checkpoint completed, signals the test through {@link Probe#blocked}, waits for
 * {@link Probe#release} and throws. The checkpoint's records are then pre-committed, in a
 * completed checkpoint, and not committed: recovery has to commit them. Use it at parallelism 1,
 * so that every sink of the job waits behind it.
 */
final class FailBeforeCommitMap extends RichMapFunction<ErrorRecord, ErrorRecord> implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String probeName;
    private final long holdAfterRecords;

    private transient Probe probe;
    private transient long passed;

    FailBeforeCommitMap(String probeName, long holdAfterRecords) {
        this.probeName = probeName;
        this.holdAfterRecords = holdAfterRecords;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        probe = Probe.get(probeName);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        if (!probe.failed.get() && probe.heldCheckpoint.get() < 0 && passed >= holdAfterRecords) {
            probe.recordsBeforeCheckpoint.set(passed);
            probe.heldCheckpoint.set(context.getCheckpointId());
        }
    }

    @Override
    public ErrorRecord map(ErrorRecord record) throws Exception {
        long held = probe.heldCheckpoint.get();
        if (held >= 0 && probe.failed.compareAndSet(false, true)) {
            TestCluster.awaitCondition(() -> probe.completedCheckpoints.contains(held), WAIT,
                    "checkpoint " + held + " to complete");
            probe.blocked.countDown();
            Probe.await(probe.release, WAIT, "the test to inspect the uncommitted output");
            throw new ProbeMap.InjectedFailure("Injected failure after checkpoint " + held
                    + " completed and before its commit");
        }
        passed++;
        return record;
    }
}
