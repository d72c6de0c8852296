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
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;

/**
 * Parses and validates examples, and checks that each run's indexes arrive in order without
 * repeats. A record that fails goes to {@link #DEAD_LETTERS} with its reason, position and
 * original bytes, and the job keeps running.
 *
 * <p>The function is keyed by the Kafka record key, which producers set to the run id, and keeps
 * the last index of every run it has seen under that key in keyed state. Keyed state moves with
 * its key when the job is restored at another parallelism, and unlike union operator state it
 * does not stop checkpoints once some source subtasks have finished their part of a bounded
 * input. The order check runs here, before the fan-out, so that a repeated record is reported
 * once and not once per learner. A run whose records carry several keys is checked per key; the
 * learner operator still never learns from an index twice.
 */
public final class ParseExamplesFunction extends KeyedProcessFunction<String, RawExample, Example> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ParseExamplesFunction.class);

    /** Side output of records that could not be learned from. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** At most one dead-letter warning per this many milliseconds and subtask. */
    private static final long WARN_INTERVAL_MS = 10_000;

    private final ExampleValidator validator;

    private transient MapState<String, Long> lastIndexByRun;
    private transient Map<InvalidReason, Counter> deadLetterCounters;
    private transient long deadLetterCount;
    private transient long lastWarnMillis;
    private transient long suppressedWarnings;
    private transient boolean warnedKeyNotRun;
    private transient boolean summaryTimerPending;

    public ParseExamplesFunction(TaskSpec task) {
        this.validator = task.validator();
    }

    @Override
    public void open(OpenContext openContext) {
        lastIndexByRun = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("last-index-by-run", Types.STRING, Types.LONG));
        // So that the first dead letter is always logged.
        lastWarnMillis = -WARN_INTERVAL_MS;
        deadLetterCounters = new EnumMap<>(InvalidReason.class);
        for (InvalidReason reason : InvalidReason.values()) {
            deadLetterCounters.put(
                    reason, getRuntimeContext().getMetricGroup().addGroup("deadLetters").counter(reason.id()));
        }
    }

    @Override
    public void processElement(RawExample raw, Context ctx, Collector<Example> out) throws Exception {
        Example example;
        try {
            example = ExampleCodec.decode(raw.value());
        } catch (InvalidExampleException e) {
            reject(ctx, raw, e.reason(), e.getMessage(), null, -1);
            return;
        }
        try {
            validator.validate(example);
        } catch (InvalidExampleException e) {
            // The record decoded, so its run and index are known and go with the dead letter.
            reject(ctx, raw, e.reason(), e.getMessage(), example.run(), example.index());
            return;
        }

        boolean keyedByRun = example.run().equals(ctx.getCurrentKey());
        if (!keyedByRun && !warnedKeyNotRun) {
            // Once per subtask: a producer that keys by something else usually does so for every record.
            String key = ctx.getCurrentKey().isEmpty() ? "no Kafka key" : "Kafka key '" + ctx.getCurrentKey() + "'";
            LOG.warn("Run '{}' arrived with {} (topic {}, partition {}, offset {}); key each record by its run id,"
                            + " so that a run's records share one partition and stay in order. Records of a run under other keys"
                            + " are checked per key here, and the learners silently skip an index at or below one they learned",
                    example.run(), key, raw.topic(), raw.partition(), raw.offset());
            warnedKeyNotRun = true;
        }

        Long last = lastIndexByRun.get(example.run());
        long index = example.index();
        if (last != null && index <= last) {
            InvalidReason reason = index == last ? InvalidReason.DUPLICATE_INDEX : InvalidReason.OUT_OF_ORDER_INDEX;
            String message = "index " + index + " of run '" + example.run() + "' arrived after index " + last
                    + (index == last ? "; it was not learned from again" : ", so it was not learned from")
                    + ". Each run must send indexes 0, 1, 2, ... once and in order, keyed by run id";
            reject(ctx, raw, reason, message, example.run(), index);
            return;
        }
        // Under another key than its run, a run's indexes are split between keys, so gaps there mean nothing.
        if (keyedByRun) {
            warnOnGap(raw, example, last);
        }
        lastIndexByRun.put(example.run(), index);
        out.collect(example);
    }

    /** Warns when a run's first index is not 0, or when its index skips ahead. */
    private static void warnOnGap(RawExample raw, Example example, Long last) {
        long index = example.index();
        if (last == null && index != 0) {
            LOG.warn("Run '{}' starts at index {} instead of 0 (topic {}, partition {}, offset {}); learning starts there",
                    example.run(), index, raw.topic(), raw.partition(), raw.offset());
        } else if (last != null && index != last + 1) {
            LOG.warn("Run '{}' skipped from index {} to {} (topic {}, partition {}, offset {}); learning continues from {}",
                    example.run(), last, index, raw.topic(), raw.partition(), raw.offset(), index);
        }
    }

    private void reject(Context ctx, RawExample raw, InvalidReason reason, String message, String run, long index) {
        ctx.output(DEAD_LETTERS, DeadLetter.of(reason.id(), message, raw, run, index));
        deadLetterCounters.get(reason).inc();
        deadLetterCount++;

        long now = ctx.timerService().currentProcessingTime();
        if (now - lastWarnMillis >= WARN_INTERVAL_MS) {
            // The message goes last, since it ends with its own advice and full stop.
            LOG.warn("Dead letter {} of this subtask ({}) at topic {}, partition {}, offset {}: {}",
                    deadLetterCount, reason.id(), raw.topic(), raw.partition(), raw.offset(), message);
            lastWarnMillis = now;
        } else {
            suppressedWarnings++;
            if (!summaryTimerPending) {
                // Report the rest when the interval ends, even if no other dead letter arrives by then.
                ctx.timerService().registerProcessingTimeTimer(lastWarnMillis + WARN_INTERVAL_MS);
                summaryTimerPending = true;
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Example> out) {
        summaryTimerPending = false;
        if (suppressedWarnings > 0) {
            LOG.warn("{} more dead letters in this subtask since the last warning, {} in all; the dead-letter output"
                    + " has each with its reason, and the deadLetters.<reason> counters count them", suppressedWarnings, deadLetterCount);
            suppressedWarnings = 0;
            lastWarnMillis = timestamp;
        }
    }
}
