package dev.crossprop.job.flink;

import dev.crossprop.job.types.ExperimentKey;
import dev.crossprop.job.types.RoutedExample;
import dev.crossprop.sources.Example;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.Map;

/** Sends each example of a run to every configured learner, keyed by experiment. */
public final class FanOutFunction implements FlatMapFunction<Example, RoutedExample> {

    private static final long serialVersionUID = 1L;

    /** Runs whose keys are kept; a live feed with more runs than this recomputes some keys. */
    private static final int MAX_CACHED_RUNS = 4096;

    private final ExperimentPlacement placement;
    private transient Map<String, ExperimentKey[]> keysByRun;

    public FanOutFunction(ExperimentPlacement placement) {
        this.placement = placement;
    }

    @Override
    public void flatMap(Example example, Collector<RoutedExample> out) {
        ExperimentKey[] keys = keysOf(example.run());
        for (int i = 0; i < keys.length; i++) {
            out.collect(new RoutedExample(keys[i], i, example));
        }
    }

    private ExperimentKey[] keysOf(String run) {
        if (keysByRun == null) {
            keysByRun = new HashMap<>();
        }
        ExperimentKey[] keys = keysByRun.get(run);
        if (keys == null) {
            keys = new ExperimentKey[placement.learners()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = placement.key(run, i);
            }
            if (keysByRun.size() >= MAX_CACHED_RUNS) {
                keysByRun.clear();
            }
            keysByRun.put(run, keys);
        }
        return keys;
    }
}
