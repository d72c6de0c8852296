package dev.crossprop.sources.producer;

import dev.crossprop.sources.Example;

import java.io.IOException;

/** A destination of examples: a Kafka topic or a JSON lines file. Not thread-safe. */
public interface ExampleWriter extends AutoCloseable {

    /**
     * Writes one example; it may be buffered until {@link #flush()}.
     *
     * @throws IOException if this or an earlier write failed
     */
    void write(Example example) throws IOException;

    /** Blocks until every written example is stored, and reports any failure. */
    void flush() throws IOException;

    /** Flushes and releases the destination. */
    @Override
    void close() throws IOException;

    /** Describes the destination for messages, e.g. the topic and bootstrap servers. */
    String describe();
}
