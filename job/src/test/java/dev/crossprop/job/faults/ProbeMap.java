package dev.crossprop.job.faults;

import dev.crossprop.job.types.RawExample;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.time.Duration;

/**
 * A test step right after the source, in the source's task, that passes every record on
 * unchanged. It sleeps per record, so that the source reads no faster than that and a failure
 * injected by the test hits the job in the middle of its input. It counts the records it passes in
 * its {@link Probe} and can throw once after a given number of records.
 * It throws only after a checkpoint has completed, so that the recovery it causes restores state
 * instead of starting the job over.
 *
 * <p>It can also hold the source back. Past a given number of records, and once a checkpoint has
 * completed, every subtask blocks before it passes on its next record until the test counts down
 * {@link Probe#release}. The first subtask to block counts down {@link Probe#blocked}. A blocked
 * source task cannot take part in a checkpoint, so until one has completed the probe only slows
 * down, to {@value #SLOWDOWN} times its pause per record.
 */
final class ProbeMap extends RichMapFunction<RawExample, RawExample> implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** No injected failure, or no hold. */
    static final long NEVER = Long.MAX_VALUE;

    /** Factor on the pause per record while a hold waits for the first completed checkpoint. */
    private static final int SLOWDOWN = 10;

    /** Maximum time a hold waits for the test. */
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(60);

    private final String probeName;
    private final long sleepMillis;
    private final long failAfter;
    private final long holdAfter;

    private transient Probe probe;

    /**
     * @param sleepMillis pause per record in this subtask, in milliseconds
     * @param failAfter throw once when this many records have passed all subtasks together and a
     *     checkpoint has completed, or {@link #NEVER}
     */
    ProbeMap(String probeName, long sleepMillis, long failAfter) {
        this(probeName, sleepMillis, failAfter, NEVER);
    }

    /**
     * @param holdAfter hold the source back when this many records have passed all subtasks
     *     together and a checkpoint has completed, until the test releases it, or {@link #NEVER}
     */
    ProbeMap(String probeName, long sleepMillis, long failAfter, long holdAfter) {
        this.probeName = probeName;
        this.sleepMillis = sleepMillis;
        this.failAfter = failAfter;
        this.holdAfter = holdAfter;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        probe = Probe.get(probeName);
        probe.instances.incrementAndGet();
        if (context.isRestored() && context.getRestoredCheckpointId().isPresent()) {
            probe.restoredFrom.add(context.getRestoredCheckpointId().getAsLong());
        }
    }

    @Override
    public RawExample map(RawExample record) throws Exception {
        probe.runs.add(record.keyText());
        long seen = probe.records.incrementAndGet();
        if (seen >= failAfter && !probe.completedCheckpoints.isEmpty() && probe.failed.compareAndSet(false, true)) {
            probe.recordsAtFailure.set(seen);
            throw new InjectedFailure("Injected failure after " + seen + " examples");
        }
        if (seen >= holdAfter && probe.release.getCount() > 0) {
            hold();
        }
        if (sleepMillis > 0) {
            Thread.sleep(sleepMillis);
        }
        return record;
    }

    private void hold() throws InterruptedException {
        if (probe.completedCheckpoints.isEmpty()) {
            Thread.sleep(sleepMillis * SLOWDOWN);
            return;
        }
        probe.blocked.countDown();
        Probe.await(probe.release, HOLD_TIMEOUT, "the test to release the source");
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Nothing to store: the probe only observes.
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        probe.completedCheckpoints.add(checkpointId);
    }

    /** The exception a test throws on purpose, so that logs tell it from a real failure. */
    static final class InjectedFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
