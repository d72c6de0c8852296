package dev.crossprop.sources.mnist;

import java.nio.file.Path;

/**
 * Grey images of equal size with one label each, as read from a pair of IDX files.
 *
 * <p>Pixels are unsigned bytes, 0 (background) to 255, stored image after image in row-major order.
 * The arrays are kept without copying; instances are immutable by contract.
 */
public final class LabeledImages {

    private final Path imagesFile;
    private final Path labelsFile;
    private final int count;
    private final int rows;
    private final int columns;
    private final byte[] pixels;
    private final byte[] labels;

    LabeledImages(
            Path imagesFile,
            Path labelsFile,
            int count,
            int rows,
            int columns,
            byte[] pixels,
            byte[] labels) {
        this.imagesFile = imagesFile;
        this.labelsFile = labelsFile;
        this.count = count;
        this.rows = rows;
        this.columns = columns;
        this.pixels = pixels;
        this.labels = labels;
    }

    public Path imagesFile() {
        return imagesFile;
    }

    public Path labelsFile() {
        return labelsFile;
    }

    /** Returns the number of images. */
    public int count() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Returns rows * columns, the input count of a learner. */
    public int pixelsPerImage() {
        return rows * columns;
    }

    /** Returns pixel p (row-major) of image k, 0 to 255. */
    public int pixel(int k, int p) {
        return Byte.toUnsignedInt(pixels[k * pixelsPerImage() + p]);
    }

    /** Returns the label of image k, 0 to 255 as stored in the file. */
    public int label(int k) {
        return Byte.toUnsignedInt(labels[k]);
    }

    /** Returns image k as doubles in [0, 1], each pixel divided by 255. */
    public double[] scaledImage(int k) {
        int size = pixelsPerImage();
        double[] x = new double[size];
        int offset = k * size;
        for (int p = 0; p < size; p++) {
            x[p] = Byte.toUnsignedInt(pixels[offset + p]) / 255.0;
        }
        return x;
    }

    @Override
    public String toString() {
        return count + " images of " + rows + " x " + columns + " from " + imagesFile;
    }
}
