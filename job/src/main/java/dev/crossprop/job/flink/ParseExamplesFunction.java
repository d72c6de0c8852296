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

    public ParseExamplesFunction(TaskSpec task) {
        this.validator = task.validator();
    }

    @Override
    public void open(OpenContext openContext) {
        lastIndexByRun = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("last-index-by-run", Types.STRING, Types.LONG));
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

        if (!warnedKeyNotRun && !example.run().equals(ctx.getCurrentKey())) {
            // Once per subtask: a producer that keys by something else usually does so for every record.
            LOG.warn("Run '{}' arrived with Kafka key '{}' (topic {}, partition {}, offset {}); key each record by its run id,"
                            + " so that a run's records share one partition and stay in order. Records of a run under other keys"
                            + " are checked per key here, and the learners silently skip an index at or below one they learned",
                    example.run(), ctx.getCurrentKey(), raw.topic(), raw.partition(), raw.offset());
            warnedKeyNotRun = true;
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
        if (last == null && index != 0) {
            LOG.warn("Run '{}' starts at index {} instead of 0 (topic {}, partition {}, offset {}); learning starts there",
                    example.run(), index, raw.topic(), raw.partition(), raw.offset());
        } else if (last != null && index != last + 1) {
            LOG.warn("Run '{}' skipped from index {} to {} (topic {}, partition {}, offset {}); learning continues from {}",
                    example.run(), last, index, raw.topic(), raw.partition(), raw.offset(), index);
        }
        lastIndexByRun.put(example.run(), index);
        out.collect(example);
    }

    private void reject(Context ctx, RawExample raw, InvalidReason reason, String message, String run, long index) {
        ctx.output(DEAD_LETTERS, DeadLetter.of(reason.id(), message, raw, run, index));
        deadLetterCounters.get(reason).inc();
        deadLetterCount++;

        long now = System.currentTimeMillis();
        if (now - lastWarnMillis >= WARN_INTERVAL_MS) {
            // The message goes last, since it ends with its own advice and full stop.
            LOG.warn("Dead letter {} of this subtask ({}, {} more since the last warning) at topic {}, partition {}, offset {}: {}",
                    deadLetterCount, reason.id(), suppressedWarnings, raw.topic(), raw.partition(), raw.offset(), message);
            lastWarnMillis = now;
            suppressedWarnings = 0;
        } else {
            suppressedWarnings++;
        }
    }
}
