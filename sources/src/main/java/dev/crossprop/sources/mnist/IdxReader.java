package dev.crossprop.sources.mnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and datasets in the same format (Fashion-MNIST, EMNIST).
 *
 * <p>An IDX file starts with a big-endian magic number whose third byte is the element type (0x08,
 * unsigned byte) and whose fourth byte is the number of dimensions, followed by one big-endian
 * 32-bit size per dimension and the elements. Images files have magic 0x00000803 (count, rows,
 * columns) and labels files 0x00000801 (count). Any positive rows and columns are accepted, not
 * only 28 x 28. A file is read as gzip when it starts with the gzip magic bytes 0x1F 0x8B, whatever
 * its name.
 *
 * <p>Every problem (wrong magic number, a size that does not fit, a truncated or corrupt file,
 * bytes after the declared elements, image and label counts that differ) is an {@link IOException}
 * whose message names the file and what is wrong.
 */
public final class IdxReader {

    /** Magic number of an images file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of a labels file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    // Java arrays hold at most about 2^31 elements.
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    // The buffer starts at most this large and grows as data arrives, so a corrupt header that
    // claims gigabytes fails at the end of the data instead of allocating them up front.
    private static final int INITIAL_BUFFER = 16 << 20;

    private IdxReader() {}

    /** Reads an images file and a labels file and checks that their counts agree. */
    public static LabeledImages read(Path imagesFile, Path labelsFile) throws IOException {
        try (DataInputStream images = open(imagesFile);
                DataInputStream labels = open(labelsFile)) {
            int[] imageSizes = readHeader(images, imagesFile, IMAGES_MAGIC, 3);
            int[] labelSizes = readHeader(labels, labelsFile, LABELS_MAGIC, 1);
            int count = imageSizes[0];
            if (labelSizes[0] != count) {
                throw new IOException(
                        "Image and label counts differ: "
                                + imagesFile
                                + " has "
                                + count
                                + " images but "
                                + labelsFile
                                + " has "
                                + labelSizes[0]
                                + " labels; pass the labels file that belongs to these images.");
            }
            int rows = imageSizes[1];
            int columns = imageSizes[2];
            byte[] pixels = readElements(images, imagesFile, (long) count * rows * columns);
            byte[] labelBytes = readElements(labels, labelsFile, count);
            return new LabeledImages(
                    imagesFile, labelsFile, count, rows, columns, pixels, labelBytes);
        }
    }

    /** Reads the labels of a labels file. */
    public static byte[] readLabels(Path labelsFile) throws IOException {
        try (DataInputStream in = open(labelsFile)) {
            int[] sizes = readHeader(in, labelsFile, LABELS_MAGIC, 1);
            return readElements(in, labelsFile, sizes[0]);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new IOException("IDX file " + file + " does not exist.", e);
        }
        raw.mark(2);
        int first = raw.read();
        int second = raw.read();
        raw.reset();
        if (first == 0x1F && second == 0x8B) {
            try {
                return new DataInputStream(
                        new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
            } catch (IOException e) {
                raw.close();
                throw new IOException(
                        "IDX file "
                                + file
                                + " starts like gzip but its gzip"
                                + " header is corrupt: "
                                + e.getMessage(),
                        e);
            }
        }
        return new DataInputStream(raw);
    }

    private static int[] readHeader(DataInputStream in, Path file, int magic, int dimensions)
            throws IOException {
        int actual;
        int[] sizes = new int[dimensions];
        try {
            actual = in.readInt();
            if (actual != magic) {
                throw new IOException(
                        String.format(
                                "IDX file %s has magic number 0x%08X but %s files have 0x%08X;"
                                        + " check that you passed the right file.",
                                file, actual, magic == IMAGES_MAGIC ? "images" : "labels", magic));
            }
            for (int d = 0; d < dimensions; d++) {
                sizes[d] = in.readInt();
            }
        } catch (EOFException e) {
            throw new IOException("IDX file " + file + " ends inside its header.", e);
        } catch (ZipException e) {
            throw corruptGzip(file, e);
        }
        long elements = 1;
        for (int d = 0; d < dimensions; d++) {
            int minimum = d == 0 ? 0 : 1;
            if (sizes[d] < minimum) {
                throw new IOException(
                        "IDX file "
                                + file
                                + " declares size "
                                + sizes[d]
                                + " for dimension "
                                + d
                                + "; sizes must be at least "
                                + minimum
                                + ".");
            }
            elements *= sizes[d];
            if (elements > MAX_ELEMENTS) {
                throw new IOException(
                        "IDX file "
                                + file
                                + " declares sizes "
                                + Arrays.toString(sizes)
                                + ", more than "
                                + MAX_ELEMENTS
                                + " elements in total.");
            }
        }
        return sizes;
    }

    private static byte[] readElements(DataInputStream in, Path file, long expected)
            throws IOException {
        byte[] data = new byte[(int) Math.min(expected, INITIAL_BUFFER)];
        int filled = 0;
        try {
            while (filled < expected) {
                if (filled == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(expected, 2L * data.length));
                }
                int read = in.read(data, filled, data.length - filled);
                if (read < 0) {
                    throw new IOException(
                            "IDX file "
                                    + file
                                    + " is truncated: its header declares "
                                    + expected
                                    + " bytes of data but only "
                                    + filled
                                    + " follow; download or copy the file again.");
                }
                filled += read;
            }
            if (in.read() >= 0) {
                throw new IOException(
                        "IDX file "
                                + file
                                + " has bytes after the "
                                + expected
                                + " declared in its header; the header or the file is corrupt.");
            }
        } catch (ZipException | EOFException e) {
            throw corruptGzip(file, e);
        }
        return data;
    }

    private static IOException corruptGzip(Path file, IOException cause) {
        return new IOException(
                "IDX file "
                        + file
                        + " is not a valid gzip stream ("
                        + cause.getMessage()
                        + "); it is truncated or corrupt, so download or copy it again.",
                cause);
    }
}
