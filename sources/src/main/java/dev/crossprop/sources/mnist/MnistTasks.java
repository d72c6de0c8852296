package dev.crossprop.sources.mnist;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleValidator;
import dev.crossprop.sources.TaskSchedule;
import dev.crossprop.sources.internal.RandomStreams;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The example stream of one MNIST continual-learning run: every stage of the schedule presents the
 * same first {@code count} images in file order, changed by that stage's task.
 *
 * <p>With {@link MnistTaskKind#SHIFT}, task k's label is {@code (label + s_k) mod 10} and the
 * images are unchanged. With {@link MnistTaskKind#PERMUTE}, labels are unchanged and input p of
 * task k is pixel {@code perm_k[p]} of the image. The first distinct task keeps the original pixel
 * order, like shift 0; task k = 2, 3, ... uses a permutation drawn by {@link
 * RandomStreams#permutation} from stream (MNIST_PERMUTATION, k) of the seed. With label shifts the
 * seed only names the run, since nothing is random.
 *
 * <p>Inputs are pixel / 255.0. The stream emits {@code Example.classification("mnist-seed-<seed>",
 * index, task, x, label)} with index 0, 1, 2, ... across the schedule, one new input array per
 * example. Instances are immutable; each iterator is independent and not thread-safe.
 */
public final class MnistTasks implements Iterable<Example> {

    private final MnistConfig config;
    private final LabeledImages data;
    private final int count;
    private final Map<String, int[]> permutations = new LinkedHashMap<>();

    /**
     * Creates the stream over images already read.
     *
     * @throws IllegalArgumentException if the config requests more images than the files contain,
     *     or a label is not in 0..9
     */
    public MnistTasks(MnistConfig config, LabeledImages data) {
        this.config = config;
        this.data = data;
        if (config.count() > data.count()) {
            throw new IllegalArgumentException(
                    "MNIST image count is "
                            + config.count()
                            + " but "
                            + data.imagesFile()
                            + " has only "
                            + data.count()
                            + " images; lower --count or use 0 for all.");
        }
        this.count = config.count() == 0 ? data.count() : config.count();
        for (int k = 0; k < count; k++) {
            if (data.label(k) >= MnistConfig.CLASSES) {
                throw new IllegalArgumentException(
                        "Label of image "
                                + k
                                + " in "
                                + data.labelsFile()
                                + " is "
                                + data.label(k)
                                + " but MNIST labels are 0..9; pass an MNIST labels file.");
            }
        }
        List<String> tasks = TaskSchedule.distinctTasks(config.schedule());
        for (int k = 0; k < tasks.size(); k++) {
            int[] permutation = null;
            if (config.taskKind() == MnistTaskKind.PERMUTE && k > 0) {
                permutation =
                        RandomStreams.permutation(
                                data.pixelsPerImage(),
                                RandomStreams.stream(
                                        config.seed(), RandomStreams.MNIST_PERMUTATION, k + 1));
            }
            permutations.put(tasks.get(k), permutation);
        }
    }

    /** Reads the config's IDX files and creates the stream. */
    public static MnistTasks load(MnistConfig config) throws IOException {
        return new MnistTasks(config, IdxReader.read(config.images(), config.labels()));
    }

    public MnistConfig config() {
        return config;
    }

    public LabeledImages data() {
        return data;
    }

    /** Returns this run's id, {@code mnist-seed-<seed>}. */
    public String runId() {
        return MnistConfig.runId(config.seed());
    }

    /** Returns the number of images per stage. */
    public int imagesPerTask() {
        return count;
    }

    /** Returns the number of examples over the whole schedule. */
    public long exampleCount() {
        return (long) count * config.schedule().size();
    }

    /** Returns a validator for this stream: rows * columns inputs, 10 classes. */
    public ExampleValidator validator() {
        return ExampleValidator.classification(data.pixelsPerImage(), MnistConfig.CLASSES);
    }

    /** Returns a copy of the task's pixel permutation, or null when it keeps the pixel order. */
    public int[] permutation(String task) {
        checkTask(task);
        int[] permutation = permutations.get(task);
        return permutation == null ? null : permutation.clone();
    }

    /** Returns the task's label shift; 0 for permuted tasks. */
    public int shift(String task) {
        checkTask(task);
        return config.taskKind() == MnistTaskKind.SHIFT ? config.shifts().get(task) : 0;
    }

    private void checkTask(String task) {
        if (!permutations.containsKey(task)) {
            throw new IllegalArgumentException(
                    "Task '" + task + "' is not in the MNIST schedule " + config.schedule() + ".");
        }
    }

    /** Returns the example for image k of the given task, with the given index. */
    public Example example(String task, int k, long index) {
        int[] permutation = permutations.get(task);
        double[] x;
        if (permutation == null) {
            x = data.scaledImage(k);
        } else {
            x = new double[permutation.length];
            for (int p = 0; p < x.length; p++) {
                x[p] = data.pixel(k, permutation[p]) / 255.0;
            }
        }
        int label = (data.label(k) + shift(task)) % MnistConfig.CLASSES;
        return Example.classification(runId(), index, task, x, label);
    }

    /** Returns a fresh stream over the whole schedule, starting at index 0. */
    @Override
    public Iterator<Example> iterator() {
        return new Iterator<>() {
            private long index;

            @Override
            public boolean hasNext() {
                return index < exampleCount();
            }

            @Override
            public Example next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(
                            "MNIST run " + runId() + " ended after " + index + " examples.");
                }
                String task = config.schedule().get((int) (index / count));
                Example example = example(task, (int) (index % count), index);
                index++;
                return example;
            }
        };
    }
}
