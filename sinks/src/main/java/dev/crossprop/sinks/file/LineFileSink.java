package dev.crossprop.sinks.file;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.function.SerializableFunction;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * File sinks that write one text line per record, with an optional header line at the top of
 * every part file. Part files roll on every checkpoint and become visible only when the
 * checkpoint completes, so the files are exactly-once: after a failure, the files hold each
 * record once. Until then a part is a hidden file whose name starts with a dot.
 */
public final class LineFileSink {

    private LineFileSink() {}

    /**
     * Creates a sink writing {@code part-<uuid>-<n><suffix>} files into {@code directory}.
     *
     * @param header first line of every part file, without newline; null for none
     * @param encoder turns one record into one line, without newline
     * @param suffix file name suffix such as {@code .csv} or {@code .jsonl}
     */
    public static <T> FileSink<T> create(
            String directory, String header, SerializableFunction<T, String> encoder, String suffix) {
        return FileSink.forBulkFormat(new Path(directory), new LineWriterFactory<>(header, encoder))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(suffix).build())
                .build();
    }

    private static final class LineWriterFactory<T> implements BulkWriter.Factory<T> {

        private static final long serialVersionUID = 1L;

        private final String header;
        private final SerializableFunction<T, String> encoder;

        LineWriterFactory(String header, SerializableFunction<T, String> encoder) {
            this.header = header;
            this.encoder = encoder;
        }

        @Override
        public BulkWriter<T> create(FSDataOutputStream stream) throws IOException {
            LineWriter<T> writer = new LineWriter<>(stream, encoder);
            if (header != null) {
                writer.writeLine(header);
            }
            return writer;
        }
    }

    private static final class LineWriter<T> implements BulkWriter<T> {

        // Buffered because the local file system's stream writes straight to the file.
        private final BufferedOutputStream stream;
        private final SerializableFunction<T, String> encoder;

        LineWriter(FSDataOutputStream stream, SerializableFunction<T, String> encoder) {
            this.stream = new BufferedOutputStream(stream, 1 << 16);
            this.encoder = encoder;
        }

        void writeLine(String line) throws IOException {
            stream.write(line.getBytes(StandardCharsets.UTF_8));
            stream.write('\n');
        }

        @Override
        public void addElement(T element) throws IOException {
            writeLine(encoder.apply(element));
        }

        @Override
        public void flush() throws IOException {
            stream.flush();
        }

        @Override
        public void finish() throws IOException {
            // The sink owns and closes the underlying stream; finishing only flushes the buffer.
            stream.flush();
        }
    }
}
