package dev.crossprop.job.config;

import dev.crossprop.learn.OutputKind;
import dev.crossprop.sources.ExampleValidator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The task of an experiment: the kind of stream, the shape of its examples and, for generated
 * tasks, the parameters of the generator and the stage schedule.
 *
 * @param kind where examples come from
 * @param inputs number of inputs m of every example
 * @param outputs number of outputs k: target values (regression) or classes (classification)
 * @param outputKind regression or classification
 * @param schedule stage schedule as task letters, for example A, B, C, A, B, C; empty for live tasks
 * @param examplesPerStage examples in every stage; 0 for live tasks
 * @param features GEOFF: hidden threshold units n of the target network
 * @param beta GEOFF: threshold parameter of the target network
 * @param changeFraction GEOFF: fraction of W* redrawn at a task change
 * @param images MNIST: path of the images IDX file
 * @param labels MNIST: path of the labels IDX file
 * @param variant MNIST: "shift" (labels shifted by the task number) or "permute" (pixels permuted)
 */
public record TaskSpec(
        TaskKind kind,
        int inputs,
        int outputs,
        OutputKind outputKind,
        List<String> schedule,
        int examplesPerStage,
        int features,
        double beta,
        double changeFraction,
        String images,
        String labels,
        String variant)
        implements Serializable {

    /** One stage of the schedule: a task letter and the example indexes it covers, inclusive. */
    public record Stage(String task, long firstIndex, long lastIndex) implements Serializable {}

    public TaskSpec {
        schedule = List.copyOf(schedule);
    }

    /** Returns the stages in order; empty for live tasks, whose length is unknown. */
    public List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        long first = 0;
        for (String task : schedule) {
            stages.add(new Stage(task, first, first + examplesPerStage - 1));
            first += examplesPerStage;
        }
        return stages;
    }

    /** Returns the number of examples in one run, or -1 for live tasks. */
    public long examplesPerRun() {
        return kind == TaskKind.LIVE ? -1 : (long) schedule.size() * examplesPerStage;
    }

    /** Returns the validator of this task's examples: input count, target count or label range. */
    public ExampleValidator validator() {
        boolean classification = outputKind == OutputKind.CLASSIFICATION;
        return new ExampleValidator(inputs, classification ? 0 : outputs, classification ? outputs : 0);
    }

    /** Returns the run id that the generator gives to the run with this seed. */
    public String runId(long seed) {
        return kind.id() + "-seed-" + seed;
    }
}
