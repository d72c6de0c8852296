package dev.crossprop.sources.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.Map;

/**
 * JUnit 5 extension that starts one {@link EmbeddedKafkaBroker} before the first test of a class
 * and closes it after the last one.
 *
 * <p>Register it on a static field, so that JUnit calls its class-level callbacks:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * }</pre>
 *
 * <p>Tests of one class share the broker, so each test should use its own topic names. Other
 * modules get this class from the test-jar of {@code crossprop-sources}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> overrides;
    private EmbeddedKafkaBroker broker;

    /** Creates an extension whose broker uses the default single-node settings. */
    public KafkaBrokerExtension() {
        this(Map.of());
    }

    /** Creates an extension whose broker applies {@code overrides} to the default settings. */
    public KafkaBrokerExtension(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        broker = EmbeddedKafkaBroker.start(overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Returns the running broker. */
    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException(
                    "The Kafka broker is not running: register KafkaBrokerExtension on a static"
                            + " field with @RegisterExtension and use it only inside tests");
        }
        return broker;
    }

    /** Returns the broker's client address, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Creates a topic with replication factor 1 and waits until its partitions have leaders. */
    public void createTopic(String name, int partitions) {
        broker().createTopic(name, partitions);
    }
}
