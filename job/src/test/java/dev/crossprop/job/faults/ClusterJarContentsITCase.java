package dev.crossprop.job.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * What the cluster jar ({@code crossprop-cluster.jar}) may contain. A Flink cluster brings its own
 * runtime and logging binding, and copies of either in a job jar clash with the cluster's. So the
 * jar has no Flink class that flink-connector-kafka does not ship itself, no Log4j, no SLF4J
 * binding and no logging configuration. It has Kafka's client classes once each, unrelocated,
 * from the kafka-clients version on this class path.
 *
 * <p>The jar exists only after the package phase, so the build runs this class in the verify
 * phase (job/pom.xml), not with the other tests.
 */
class ClusterJarContentsITCase {

    private static List<String> entries;

    @BeforeAll
    static void readEntries() throws IOException {
        Path jar = Path.of(System.getProperty("cluster.jar", "target/crossprop-cluster.jar"));
        assertThat(jar).as("cluster jar; build it with mvn verify").exists();
        entries = new ArrayList<>();
        // ZipInputStream, unlike ZipFile, also returns entries whose names repeat.
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.add(entry.getName());
            }
        }
    }

    @Test
    void noEntryTwice() {
        Set<String> seen = new HashSet<>();
        List<String> repeated = entries.stream().filter(name -> !seen.add(name)).toList();

        assertThat(repeated).isEmpty();
    }

    @Test
    void flinkClassesComeOnlyFromKafkaConnector() throws Exception {
        Set<String> connector = entriesOf(jarOf(KafkaSink.class));
        List<String> foreign = entries.stream()
                .filter(name -> name.startsWith("org/apache/flink/") && !name.endsWith("/"))
                .filter(name -> !connector.contains(name))
                .toList();

        assertThat(foreign).as("Flink entries that flink-connector-kafka does not ship").isEmpty();
        assertThat(entries).contains("org/apache/flink/connector/kafka/sink/KafkaSink.class");
    }

    @Test
    void kafkaClientsOnceUnrelocatedInPinnedVersion() throws Exception {
        Set<String> clients = entriesOf(jarOf(KafkaProducer.class));
        List<String> kafkaEntries = entries.stream().filter(name -> name.contains("org/apache/kafka/")).toList();
        List<String> relocated = kafkaEntries.stream().filter(name -> !name.startsWith("org/apache/kafka/")).toList();
        List<String> foreign = kafkaEntries.stream()
                .filter(name -> name.startsWith("org/apache/kafka/") && !name.endsWith("/"))
                .filter(name -> !clients.contains(name))
                .toList();

        assertThat(relocated).as("relocated copies of Kafka classes").isEmpty();
        assertThat(foreign).as("Kafka entries that kafka-clients does not ship, such as broker classes").isEmpty();
        assertThat(entries).contains("org/apache/kafka/clients/producer/KafkaProducer.class");
        // The enforcer rule in the parent pom pins the kafka-clients of this class path.
        assertThat(versionInJar()).isEqualTo(AppInfoParser.getVersion());
    }

    @Test
    void noLoggingBindingOrConfiguration() {
        List<String> logging = entries.stream()
                .filter(name -> name.startsWith("org/apache/logging/log4j/")
                        || name.startsWith("org/slf4j/impl/")
                        || name.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")
                        || fileName(name).startsWith("log4j"))
                .toList();

        assertThat(logging).isEmpty();
    }

    private static String versionInJar() throws IOException {
        Path jar = Path.of(System.getProperty("cluster.jar", "target/crossprop-cluster.jar"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("kafka/kafka-version.properties");
            assertThat(entry).as("kafka/kafka-version.properties in the cluster jar").isNotNull();
            Properties properties = new Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                properties.load(in);
            }
            return properties.getProperty("version");
        }
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Set<String> entriesOf(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(entry -> names.add(entry.getName()));
        }
        return names;
    }

    private static String fileName(String entry) {
        return entry.substring(entry.lastIndexOf('/') + 1);
    }
}
