package dev.crossprop.job.flink;

import dev.crossprop.job.ExperimentSeeds;
import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.LearnerSpec;
import dev.crossprop.job.config.OutputSpec;
import dev.crossprop.job.types.ExperimentKey;
import dev.crossprop.job.types.ExperimentState;
import dev.crossprop.job.types.ExperimentStateSerializer;
import dev.crossprop.job.types.RoutedExample;
import dev.crossprop.job.types.RunBin;
import dev.crossprop.learn.Learner;
import dev.crossprop.learn.StepResult;
import dev.crossprop.sinks.records.ErrorRecord;
import dev.crossprop.sinks.records.NormRecord;
import dev.crossprop.sources.Example;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keyed learner operator. Keyed by experiment ({@link ExperimentKey}), it keeps each experiment's learner in
 * keyed state, creates it on the experiment's first example, steps it once per example, and
 * emits an error record (main output) and a weight-norm record ({@link #NORMS}) per example, or
 * per window when down-sampling is on.
 *
 * <p>A learner whose error or weights become non-finite stops: the operator emits one pair of
 * records marked diverged at that example and drops the experiment's later examples, while the
 * other experiments go on.
 *
 * <p>Besides the keyed state, each subtask keeps the keys of its experiments in union operator
 * state. Flink offers a function no way to list the keys of its keyed state, so this list is
 * what lets a restored subtask log how many experiments it took over, and from which
 * checkpoint, and keep its {@code activeExperiments} gauge right after a restore or rescale.
 */
public final class LearnFunction extends KeyedProcessFunction<ExperimentKey, RoutedExample, ErrorRecord>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(LearnFunction.class);

    /** Side output of weight-norm records. */
    public static final OutputTag<NormRecord> NORMS =
            new OutputTag<>("norms", TypeInformation.of(NormRecord.class));

    /** Side output of per-run bin means, the input of the across-run aggregate. */
    public static final OutputTag<RunBin> RUN_BINS =
            new OutputTag<>("run-bins", TypeInformation.of(RunBin.class));

    /** Progress is logged at most once per this many milliseconds and subtask. */
    private static final long PROGRESS_INTERVAL_MS = 5_000;

    private final List<LearnerSpec> learners;
    private final List<String> runIds;
    private final long initSeed;
    private final OutputSpec output;
    private final long examplesPerRun;

    private transient ValueState<ExperimentState> state;
    private transient ListState<ExperimentKey> experimentKeys;
    private transient Counter steps;
    private transient Counter droppedAfterDivergence;
    private transient Counter divergedExperiments;
    private transient Set<ExperimentKey> activeExperiments;
    private transient long lastProgressMillis;
    private transient long stepsAtLastProgress;
    private transient boolean progressTimerPending;

    public LearnFunction(ExperimentConfig config) {
        this.learners = config.learners();
        this.runIds = config.runIds();
        this.initSeed = config.initSeed();
        this.output = config.output();
        this.examplesPerRun = config.task().examplesPerRun();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("experiment", new ExperimentStateSerializer()));
        steps = getRuntimeContext().getMetricGroup().counter("learnerSteps");
        droppedAfterDivergence = getRuntimeContext().getMetricGroup().counter("droppedAfterDivergence");
        divergedExperiments = getRuntimeContext().getMetricGroup().counter("divergedExperiments");
        getRuntimeContext().getMetricGroup().gauge("activeExperiments", () -> activeExperiments.size());
        lastProgressMillis = System.currentTimeMillis();

        // Which jar the learners come from: the submitted job jar, or a jar on the cluster's class
        // path that may be older than the one submitted (a shared job jar).
        LOG.info("Subtask {} of job {}: learner classes from {}",
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                getRuntimeContext().getJobInfo().getJobId(), codeLocation(Learner.class));
    }

    private static String codeLocation(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "an unknown location" : source.getLocation().toString();
    }

    @Override
    public void processElement(RoutedExample routed, Context ctx, Collector<ErrorRecord> out) throws Exception {
        ExperimentState experiment = state.value();
        if (experiment == null) {
            // Restored experiments are already in the set, so only a new one needs adding.
            experiment = createExperiment(routed);
            activeExperiments.add(routed.key());
        }
        if (experiment.diverged()) {
            droppedAfterDivergence.inc();
            return;
        }
        Example example = routed.example();
        if (example.index() <= experiment.lastIndex) {
            // The parse step already reports repeated indexes per run; this guards the learner.
            return;
        }

        StepResult result = step(experiment.learner, example);
        experiment.lastIndex = example.index();
        steps.inc();

        LearnerSpec spec = learners.get(experiment.learnerIndex);
        if (result.diverged()) {
            experiment.divergedAt = example.index();
            divergedExperiments.inc();
            LOG.warn("Experiment {} diverged at example {} (step {}): error {}, U change {}, W change {}; it stops learning",
                    routed.experimentId(), example.index(), result.step(), result.error(), result.uChange(), result.wChange());
            emit(ctx, out, routed, spec, result, 1, result.error(), accuracyOf(result), true);
        } else {
            emitSampled(ctx, out, routed, spec, experiment, result);
            addToBin(ctx, spec, experiment, example, result.error());
        }
        state.update(experiment);
        scheduleProgress(ctx);
    }

    /**
     * Registers a processing-time timer for the next progress line, unless one is pending. A
     * timer rather than a check per example, so that the totals of a burst of live examples are
     * logged after it ends, not when the next example arrives.
     */
    private void scheduleProgress(Context ctx) {
        if (progressTimerPending) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (now - lastProgressMillis > 2 * PROGRESS_INTERVAL_MS) {
            // After an idle spell, measure the rate from this example on.
            lastProgressMillis = now;
            stepsAtLastProgress = steps.getCount() - 1;
        }
        ctx.timerService().registerProcessingTimeTimer(now + PROGRESS_INTERVAL_MS);
        progressTimerPending = true;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ErrorRecord> out) {
        progressTimerPending = false;
        logProgress(timestamp);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        experimentKeys = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("experiment-keys", new ExperimentKey.Serializer()));
        activeExperiments = new HashSet<>();
        if (!context.isRestored()) {
            return;
        }

        // Union state hands every subtask the keys of all subtasks. Keep those whose key group
        // this subtask now owns, because that is where Flink restored their keyed state.
        TaskInfo task = getRuntimeContext().getTaskInfo();
        int subtask = task.getIndexOfThisSubtask();
        List<ExperimentKey> restored = new ArrayList<>();
        experimentKeys.get().forEach(restored::add);
        for (ExperimentKey key : restored) {
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    key, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
            if (owner == subtask) {
                activeExperiments.add(key);
            }
        }
        LOG.info("Subtask {} of {} restored {} of the job's {} experiments from checkpoint {}",
                subtask, task.getNumberOfParallelSubtasks(), activeExperiments.size(), restored.size(),
                context.getRestoredCheckpointId().isPresent() ? context.getRestoredCheckpointId().getAsLong() : "unknown");

        // Restarting cannot fix a checkpoint of another experiment file, so fail the job at once.
        String mismatch = checkExperimentFile(restored, task.getMaxNumberOfParallelSubtasks());
        if (mismatch != null) {
            throw new SuppressRestartsException(new IllegalStateException(mismatch));
        }
    }

    /**
     * Checks that the restored experiments fit this experiment file, and returns what differs, or
     * null. A checkpoint of a file with other learners, or with runs removed or reordered, keyed
     * its experiments differently, so their state would sit unused while the same experiments
     * started over under new keys. A learner added to the file would start in the middle of the
     * runs. Every example reaches all learners of its run, so each learner of the file has
     * experiments in a checkpoint that has any.
     */
    private String checkExperimentFile(List<ExperimentKey> restored, int keyGroups) {
        String fix = " Resume it with the experiment file it was taken with, or start a new job for the changed file.";
        ExperimentPlacement placement = new ExperimentPlacement(runIds, learners, keyGroups);
        Set<String> restoredLabels = new HashSet<>();
        for (ExperimentKey key : restored) {
            String id = key.id();
            int learner = learnerOf(id);
            if (learner < 0) {
                return String.format("Cannot restore experiment %s: this experiment file has no learner whose label"
                        + " ends its id (labels: %s), so the checkpoint was taken with other learners.%s",
                        id, labels(), fix);
            }
            String label = learners.get(learner).label();
            ExperimentKey expected = placement.key(id.substring(0, id.length() - label.length() - 1), learner);
            if (!expected.equals(key)) {
                return String.format("Cannot restore experiment %s: the checkpoint keeps it in key group %d, but this"
                        + " experiment file places it in key group %d, so the checkpoint was taken with other"
                        + " learners, or with runs removed or reordered.%s",
                        id, KeyGroupRangeAssignment.assignToKeyGroup(key, keyGroups),
                        KeyGroupRangeAssignment.assignToKeyGroup(expected, keyGroups), fix);
            }
            restoredLabels.add(label);
        }
        for (LearnerSpec spec : learners) {
            if (!restored.isEmpty() && !restoredLabels.contains(spec.label())) {
                return String.format("Cannot restore: learner %s of this experiment file has no experiment in the"
                        + " checkpoint, which has %s, so the checkpoint was taken without it; it would start in the"
                        + " middle of every run.%s",
                        spec.label(), restoredLabels.stream().sorted().toList(), fix);
            }
        }
        return null;
    }

    /** Returns the position of the learner whose label ends the experiment id, or -1. */
    private int learnerOf(String id) {
        for (int l = 0; l < learners.size(); l++) {
            String label = learners.get(l).label();
            if (id.length() > label.length() + 1 && id.endsWith("/" + label)) {
                return l;
            }
        }
        return -1;
    }

    private List<String> labels() {
        return learners.stream().map(LearnerSpec::label).toList();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        experimentKeys.update(new ArrayList<>(activeExperiments));
    }

    private ExperimentState createExperiment(RoutedExample routed) {
        LearnerSpec spec = learners.get(routed.learnerIndex());
        long seed = ExperimentSeeds.initialWeightsSeed(initSeed, routed.example().run());
        return new ExperimentState(routed.learnerIndex(), Learner.create(spec.config(), seed));
    }

    private static StepResult step(Learner learner, Example example) {
        return example.isClassification()
                ? learner.step(example.x(), example.label())
                : learner.step(example.x(), example.y());
    }

    private static double accuracyOf(StepResult result) {
        if (!result.hasCorrect()) {
            return Double.NaN;
        }
        return result.correct() ? 1.0 : 0.0;
    }

    /** Emits the records of this example, or of the window it closes, as the down-sampling setting requires. */
    private void emitSampled(
            Context ctx, Collector<ErrorRecord> out, RoutedExample routed, LearnerSpec spec,
            ExperimentState experiment, StepResult result) {
        long index = routed.example().index();
        int n = output.downsampleN();
        switch (output.downsample()) {
            case "every":
                if (index % n == 0) {
                    emit(ctx, out, routed, spec, result, 1, result.error(), accuracyOf(result), false);
                }
                break;
            case "mean":
                experiment.windowErrorSum += result.error();
                experiment.windowCorrectSum += result.hasCorrect() && result.correct() ? 1.0 : 0.0;
                experiment.windowCount++;
                boolean lastOfRun = examplesPerRun > 0 && index == examplesPerRun - 1;
                if (index % n == n - 1 || lastOfRun) {
                    int count = experiment.windowCount;
                    double accuracy = result.hasCorrect() ? experiment.windowCorrectSum / count : Double.NaN;
                    emit(ctx, out, routed, spec, result, count, experiment.windowErrorSum / count, accuracy, false);
                    experiment.windowErrorSum = 0;
                    experiment.windowCorrectSum = 0;
                    experiment.windowCount = 0;
                }
                break;
            default:
                emit(ctx, out, routed, spec, result, 1, result.error(), accuracyOf(result), false);
        }
    }

    private void emit(
            Context ctx, Collector<ErrorRecord> out, RoutedExample routed, LearnerSpec spec, StepResult result,
            int examples, double error, double accuracy, boolean diverged) {
        Example example = routed.example();
        out.collect(new ErrorRecord(
                routed.experimentId(), example.run(), spec.label(), example.task(), example.index(), result.step(),
                error, accuracy, examples, diverged));
        ctx.output(NORMS, new NormRecord(
                routed.experimentId(), example.run(), spec.label(), example.task(), example.index(), result.step(),
                result.uChange(), result.wChange(), examples, diverged));
    }

    /** Adds the error to the run's current aggregation bin and emits the bin's mean when it closes. */
    private void addToBin(Context ctx, LearnerSpec spec, ExperimentState experiment, Example example, double error) {
        long bin = output.aggregateBin();
        experiment.binErrorSum += error;
        experiment.binCount++;
        boolean lastOfRun = examplesPerRun > 0 && example.index() == examplesPerRun - 1;
        if (example.index() % bin == bin - 1 || lastOfRun) {
            ctx.output(RUN_BINS, new RunBin(
                    spec.label(), example.run(), example.task(), example.index() / bin,
                    experiment.binErrorSum / experiment.binCount, experiment.binCount));
            experiment.binErrorSum = 0;
            experiment.binCount = 0;
        }
    }

    @Override
    public void close() throws Exception {
        // The last progress line can be up to 5 s old, so give the subtask's totals once more.
        if (steps != null) {
            LOG.info("Subtask {} closed after {} learner steps in {} experiments",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), steps.getCount(), activeExperiments.size());
        }
        super.close();
    }

    private void logProgress(long now) {
        long total = steps.getCount();
        if (total != stepsAtLastProgress && now > lastProgressMillis) {
            double rate = (total - stepsAtLastProgress) * 1000.0 / (now - lastProgressMillis);
            LOG.info("Subtask {}: {} learner steps, {} steps/s, {} experiments",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), total, Math.round(rate),
                    activeExperiments.size());
            lastProgressMillis = now;
            stepsAtLastProgress = total;
        }
    }
}
