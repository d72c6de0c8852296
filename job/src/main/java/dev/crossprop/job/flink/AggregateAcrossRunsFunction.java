package dev.crossprop.job.flink;

import dev.crossprop.job.types.AggregateRecord;
import dev.crossprop.job.types.RunBin;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Averages per-run bin means across runs, keyed by learner and bin. Emits an updated
 * {@link AggregateRecord} each time a run finishes the bin, so a dashboard can draw averaged
 * curves while the job runs, and drops the bin's state once every expected run is in.
 */
public final class AggregateAcrossRunsFunction extends KeyedProcessFunction<String, RunBin, AggregateRecord> {

    private static final long serialVersionUID = 1L;

    private final int binSize;
    private final int expectedRuns;

    private transient ValueState<BinSums> sums;

    /** Running sums of one learner's bin over runs. */
    public record BinSums(int runs, double sum, double sumOfSquares) {}

    /**
     * @param binSize examples per bin
     * @param expectedRuns runs of the experiment; 0 when unknown (live tasks), in which case the
     *     state of a bin is kept for the life of the job
     */
    public AggregateAcrossRunsFunction(int binSize, int expectedRuns) {
        this.binSize = binSize;
        this.expectedRuns = expectedRuns;
    }

    /** Returns the key of a run bin: learner label and bin number. */
    public static String keyOf(RunBin bin) {
        return bin.learner() + "#" + bin.bin();
    }

    @Override
    public void open(OpenContext openContext) {
        sums = getRuntimeContext().getState(
                new ValueStateDescriptor<>("bin-sums", TypeInformation.of(BinSums.class)));
    }

    @Override
    public void processElement(RunBin bin, Context ctx, Collector<AggregateRecord> out) throws Exception {
        BinSums previous = sums.value();
        BinSums current = previous == null
                ? new BinSums(1, bin.meanError(), bin.meanError() * bin.meanError())
                : new BinSums(previous.runs() + 1, previous.sum() + bin.meanError(),
                        previous.sumOfSquares() + bin.meanError() * bin.meanError());

        int runs = current.runs();
        double mean = current.sum() / runs;
        double standardError = Double.NaN;
        if (runs > 1) {
            double variance = Math.max(0.0, (current.sumOfSquares() - runs * mean * mean) / (runs - 1));
            standardError = Math.sqrt(variance / runs);
        }
        boolean complete = expectedRuns > 0 && runs >= expectedRuns;
        long first = bin.bin() * binSize;
        out.collect(new AggregateRecord(
                bin.learner(), bin.task(), bin.bin(), first, first + bin.examples() - 1, mean, standardError, runs,
                complete));

        if (complete) {
            sums.clear();
        } else {
            sums.update(current);
        }
    }
}
