package dev.crossprop.job.flink;

import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.job.types.DeadLetter;
import dev.crossprop.job.types.RawExample;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleCodec;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.InvalidExampleException;
import dev.crossprop.sources.InvalidReason;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses and validates examples, and checks that each run's indexes arrive in order without
 * repeats. A record that fails goes to {@link #DEAD_LETTERS} with its reason, position and
 * original bytes, and the job keeps running.
 *
 * <p>The order check runs here, before the fan-out, so that a repeated record is reported once
 * and not once per learner. It keeps the last index of every run in union operator state: a run
 * stays in one partition and a partition is read by one subtask, and after a restore or rescale
 * every subtask gets all entries and keeps the highest index per run, which is the current one
 * since indexes only grow.
 */
public final class ParseExamplesFunction extends ProcessFunction<RawExample, Example>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ParseExamplesFunction.class);

    /** Side output of records that could not be learned from. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** At most one dead-letter warning per this many milliseconds and subtask. */
    private static final long WARN_INTERVAL_MS = 10_000;

    private final ExampleValidator validator;

    private transient Map<String, Long> lastIndexByRun;
    private transient ListState<RunPosition> runPositions;
    private transient Map<InvalidReason, Counter> deadLetterCounters;
    private transient long deadLetterCount;
    private transient long lastWarnMillis;
    private transient long suppressedWarnings;

    /** Last index seen of one run, as stored in checkpoints. */
    public record RunPosition(String run, long lastIndex) {}

    public ParseExamplesFunction(TaskSpec task) {
        this.validator = task.validator();
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetterCounters = new EnumMap<>(InvalidReason.class);
        for (InvalidReason reason : InvalidReason.values()) {
            deadLetterCounters.put(
                    reason, getRuntimeContext().getMetricGroup().addGroup("deadLetters").counter(reason.id()));
        }
    }

    @Override
    public void processElement(RawExample raw, Context ctx, Collector<Example> out) {
        Example example;
        try {
            example = ExampleCodec.decode(raw.value());
            validator.validate(example);
        } catch (InvalidExampleException e) {
            reject(ctx, raw, e.reason(), e.getMessage(), null, -1);
            return;
        }

        Long last = lastIndexByRun.get(example.run());
        long index = example.index();
        if (last != null && index <= last) {
            InvalidReason reason = index == last ? InvalidReason.DUPLICATE_INDEX : InvalidReason.OUT_OF_ORDER_INDEX;
            String message = "index " + index + " of run '" + example.run() + "' arrived after index " + last
                    + "; it was not learned from again. Each run must send indexes 0, 1, 2, ... once, keyed by run id";
            reject(ctx, raw, reason, message, example.run(), index);
            return;
        }
        if ((last == null && index != 0) || (last != null && index != last + 1)) {
            LOG.warn("Run '{}' skipped from index {} to {} (topic {}, partition {}, offset {}); learning continues from {}",
                    example.run(), last == null ? -1 : last, index, raw.topic(), raw.partition(), raw.offset(), index);
        }
        lastIndexByRun.put(example.run(), index);
        out.collect(example);
    }

    private void reject(Context ctx, RawExample raw, InvalidReason reason, String message, String run, long index) {
        ctx.output(DEAD_LETTERS, new DeadLetter(
                reason.id(), message, raw.topic(), raw.partition(), raw.offset(), run, index, raw.value()));
        deadLetterCounters.get(reason).inc();
        deadLetterCount++;

        long now = System.currentTimeMillis();
        if (now - lastWarnMillis >= WARN_INTERVAL_MS) {
            LOG.warn("Dead letter {} ({}): topic {}, partition {}, offset {}: {}; {} dead letters so far in this subtask, {} warnings suppressed",
                    deadLetterCount, reason.id(), raw.topic(), raw.partition(), raw.offset(), message,
                    deadLetterCount, suppressedWarnings);
            lastWarnMillis = now;
            suppressedWarnings = 0;
        } else {
            suppressedWarnings++;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        runPositions.clear();
        for (Map.Entry<String, Long> entry : lastIndexByRun.entrySet()) {
            runPositions.add(new RunPosition(entry.getKey(), entry.getValue()));
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        runPositions = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("run-positions", TypeInformation.of(RunPosition.class)));
        lastIndexByRun = new HashMap<>();
        if (context.isRestored()) {
            for (RunPosition position : runPositions.get()) {
                lastIndexByRun.merge(position.run(), position.lastIndex(), Math::max);
            }
            LOG.info("Subtask {} restored the positions of {} runs",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), lastIndexByRun.size());
        }
    }
}
