package dev.crossprop.job.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the test functions of one job ({@link ProbeMap}, {@link FailBeforeCommitBranch}) saw, shared
 * with the test thread through a static registry.
 *
 * <p>A mini cluster runs its tasks in the test's JVM and loads the test classes through the
 * application class loader, so every task attempt, restarted ones included, reaches the same
 * instance by name. Each test uses its own name.
 */
final class Probe {

    private static final Map<String, Probe> REGISTRY = new ConcurrentHashMap<>();

    /** Records that passed the probe map, replays after a restart included. */
    final AtomicLong records = new AtomicLong();

    /** Keys (run ids) of the records that have passed the probe. */
    final Set<String> runs = ConcurrentHashMap.newKeySet();

    /** Probe map instances initialized: the parallelism once per attempt of the job. */
    final AtomicInteger instances = new AtomicInteger();

    /** Checkpoint ids that restored probe map instances started from. */
    final List<Long> restoredFrom = new CopyOnWriteArrayList<>();

    /** Checkpoints whose completion the probe map was notified of. */
    final Set<Long> completedCheckpoints = ConcurrentHashMap.newKeySet();

    /** Records that had passed when the failure was injected, or -1. */
    final AtomicLong recordsAtFailure = new AtomicLong(-1);

    /** Whether the one injected failure has been thrown. */
    final AtomicBoolean failed = new AtomicBoolean();

    /** Error records that {@link FailBeforeCommitBranch} saw before the checkpoint it holds, or -1. */
    final AtomicLong recordsBeforeCheckpoint = new AtomicLong(-1);

    /** Error records that {@link FailBeforeCommitBranch} saw before the checkpoint preceding the held one, or -1. */
    final AtomicLong recordsBeforePreviousCheckpoint = new AtomicLong(-1);

    /** The checkpoint whose commit {@link FailBeforeCommitBranch} holds back, or -1 before it chose one. */
    final AtomicLong heldCheckpoint = new AtomicLong(-1);

    /** Counted down when {@link FailBeforeCommitBranch} blocks the sinks' task, or a {@link ProbeMap} the source. */
    final CountDownLatch blocked = new CountDownLatch(1);

    /** Counted down by the test to let {@link FailBeforeCommitBranch} throw, or the held source go on. */
    final CountDownLatch release = new CountDownLatch(1);

    private Probe() {}

    /** Returns a fresh probe under {@code name}, replacing an earlier one. */
    static Probe create(String name) {
        Probe probe = new Probe();
        REGISTRY.put(name, probe);
        return probe;
    }

    static Probe get(String name) {
        Probe probe = REGISTRY.get(name);
        if (probe == null) {
            throw new IllegalStateException("No probe named " + name + "; create it with Probe.create before the job starts");
        }
        return probe;
    }

    static void remove(String name) {
        REGISTRY.remove(name);
    }

    /** Waits for a latch inside a task; a timeout is a failure of the test's own logic. */
    static void await(CountDownLatch latch, Duration timeout, String what) throws InterruptedException {
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
        }
    }
}
