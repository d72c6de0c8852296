package dev.crossprop.sinks.report;

import java.util.List;

/**
 * The stage schedule together with the bins of the learning curves: bin {@code b} covers the
 * {@code binSize} consecutive example indexes from {@code origin + b * binSize}, where the origin is
 * the first index of the first stage.
 */
final class StageLayout {

    private final List<Stage> stages;
    private final int binSize;
    private final long origin;
    private final long end;
    private final int binCount;

    /**
     * @throws IllegalArgumentException if there are no stages, they are out of order, or the
     *     schedule needs more than {@link Integer#MAX_VALUE} bins
     */
    StageLayout(List<Stage> stages, int binSize) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("the stage list is empty; pass at least one stage");
        }
        if (binSize < 1) {
            throw new IllegalArgumentException("bin size is " + binSize + "; it must be >= 1");
        }
        for (int i = 1; i < stages.size(); i++) {
            if (stages.get(i).firstIndex() <= stages.get(i - 1).lastIndex()) {
                throw new IllegalArgumentException(
                        "stage " + stages.get(i).number() + " starts at index "
                                + stages.get(i).firstIndex() + ", inside the previous stage;"
                                + " stages must be in order without overlap");
            }
        }
        this.stages = List.copyOf(stages);
        this.binSize = binSize;
        this.origin = stages.get(0).firstIndex();
        this.end = stages.get(stages.size() - 1).lastIndex();
        long bins = (end - origin) / binSize + 1;
        if (bins > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "bin size " + binSize + " gives " + bins + " bins; pass a larger --bin");
        }
        this.binCount = (int) bins;
    }

    /**
     * Returns the default bin size: the shortest stage's length divided by 50, rounded, at least
     * 1, so that every stage spans about 50 points or more.
     */
    static int defaultBinSize(List<Stage> stages) {
        long shortest = stages.stream().mapToLong(Stage::length).min().orElse(1);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(shortest / 50.0)));
    }

    List<Stage> stages() {
        return stages;
    }

    int binSize() {
        return binSize;
    }

    int binCount() {
        return binCount;
    }

    long origin() {
        return origin;
    }

    long end() {
        return end;
    }

    /** Returns the position in {@link #stages()} of the stage that contains the index, or -1. */
    int stageOf(long index) {
        int low = 0;
        int high = stages.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Stage stage = stages.get(middle);
            if (index < stage.firstIndex()) {
                high = middle - 1;
            } else if (index > stage.lastIndex()) {
                low = middle + 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    /** Returns the bin of an index between the origin and the end. */
    int binOf(long index) {
        return (int) ((index - origin) / binSize);
    }

    /** Returns the x coordinate of a bin in the figures: the middle of the indexes it covers. */
    double binCenter(int bin) {
        long first = origin + (long) bin * binSize;
        long last = Math.min(end, first + binSize - 1);
        return (first + last) / 2.0;
    }
}
