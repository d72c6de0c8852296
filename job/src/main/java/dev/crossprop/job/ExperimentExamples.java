package dev.crossprop.job;

import dev.crossprop.job.config.ExperimentConfig;
import dev.crossprop.job.config.TaskKind;
import dev.crossprop.job.config.TaskSpec;
import dev.crossprop.sources.Example;
import dev.crossprop.sources.geoff.GeoffConfig;
import dev.crossprop.sources.geoff.GeoffGenerator;
import dev.crossprop.sources.mnist.IdxReader;
import dev.crossprop.sources.mnist.LabeledImages;
import dev.crossprop.sources.mnist.MnistConfig;
import dev.crossprop.sources.mnist.MnistTaskKind;
import dev.crossprop.sources.mnist.MnistTasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Builds the example streams of an experiment's generated runs, one iterator per run, in seed order. */
public final class ExperimentExamples {

    private ExperimentExamples() {}

    public static List<Iterator<Example>> runs(ExperimentConfig config) throws IOException {
        TaskSpec task = config.task();
        List<Iterator<Example>> runs = new ArrayList<>();
        // MNIST runs share the images: read the files once.
        LabeledImages images = task.kind() == TaskKind.MNIST
                ? IdxReader.read(Path.of(task.images()), Path.of(task.labels()))
                : null;
        for (long seed : config.seeds()) {
            runs.add(run(task, seed, images));
        }
        return runs;
    }

    /** Returns the examples of the run with {@code seed}. */
    public static Iterator<Example> run(TaskSpec task, long seed) throws IOException {
        LabeledImages images = task.kind() == TaskKind.MNIST
                ? IdxReader.read(Path.of(task.images()), Path.of(task.labels()))
                : null;
        return run(task, seed, images);
    }

    private static Iterator<Example> run(TaskSpec task, long seed, LabeledImages images) {
        switch (task.kind()) {
            case GEOFF:
                return new GeoffGenerator(geoffConfig(task, seed)).iterator();
            case MNIST:
                return new MnistTasks(mnistConfig(task, seed), images).iterator();
            default:
                throw new IllegalArgumentException("task kind " + task.kind().id()
                        + " has no generator; live examples come from your own producer");
        }
    }

    static MnistConfig mnistConfig(TaskSpec task, long seed) {
        return MnistConfig.builder()
                .images(Path.of(task.images()))
                .labels(Path.of(task.labels()))
                .count(task.examplesPerStage())
                .taskKind(MnistTaskKind.fromId(task.variant()))
                .schedule(task.schedule())
                .seed(seed)
                .build();
    }

    static GeoffConfig geoffConfig(TaskSpec task, long seed) {
        return GeoffConfig.builder()
                .inputs(task.inputs())
                .features(task.features())
                .beta(task.beta())
                .changeFraction(task.changeFraction())
                .examplesPerTask(task.examplesPerStage())
                .schedule(task.schedule())
                .seed(seed)
                .build();
    }
}
