package dev.crossprop.job.flink;

import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.types.RoutedExample;
import dev.crossprop.sources.Example;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/** Sends each example of a run to every configured learner, keyed by experiment id. */
public final class FanOutFunction implements FlatMapFunction<Example, RoutedExample> {

    private static final long serialVersionUID = 1L;

    private final String[] labels;

    public FanOutFunction(List<LearnerSpec> learners) {
        this.labels = learners.stream().map(LearnerSpec::label).toArray(String[]::new);
    }

    @Override
    public void flatMap(Example example, Collector<RoutedExample> out) {
        String prefix = example.run() + "/";
        for (int i = 0; i < labels.length; i++) {
            out.collect(new RoutedExample(prefix + labels[i], i, example));
        }
    }
}
