package dev.crossprop.sources.producer;

import dev.crossprop.sources.Example;
import dev.crossprop.sources.ExampleJson;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes examples to a file as JSON lines: one {@link ExampleJson} object per line, UTF-8, each
 * line ending in '\n'. An existing file is replaced.
 */
public final class JsonLinesExampleWriter implements ExampleWriter {

    private final Path file;
    private final BufferedWriter out;

    /**
     * Creates or truncates the file.
     *
     * @throws IOException if the file cannot be opened for writing
     */
    public JsonLinesExampleWriter(Path file) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    public void write(Example example) throws IOException {
        out.write(ExampleJson.toJson(example));
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
