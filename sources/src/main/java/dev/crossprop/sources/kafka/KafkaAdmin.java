package dev.crossprop.sources.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Small administrative operations on a Kafka cluster, shared by the example producer, the job and
 * the embedded broker: wait until a broker responds, list the topics, create a topic when it is
 * missing, count a topic's records and read the first of each partition, and read the broker's
 * maximum transaction timeout.
 *
 * <p>Every operation opens its own {@link Admin} client and closes it before returning, and every
 * operation is bounded by the timeout it is given: it fails with an {@link IllegalStateException}
 * that names the bootstrap servers when the time runs out.
 */
public final class KafkaAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAdmin.class);

    /** Pause between two polls of the topic metadata while waiting for partition leaders. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private KafkaAdmin() {}

    /**
     * Waits until a broker at {@code bootstrapServers} responds to a metadata request with at least
     * one node.
     *
     * @param bootstrapServers comma-separated {@code host:port} list
     * @param timeout maximum time to wait, positive
     * @throws IllegalArgumentException when an argument is blank, non-positive or unparsable
     * @throws IllegalStateException when no broker responds within {@code timeout}; the message
     *     names the servers, the timeout and the last cause
     */
    public static void awaitReachable(String bootstrapServers, Duration timeout) {
        checkServers(bootstrapServers);
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = openAdmin(bootstrapServers, timeout)) {
            describeNodes(admin, bootstrapServers, timeout, deadline);
        }
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and replication factor 1 when it
     * does not exist yet, then waits until every partition has a leader. An existing topic is left
     * as it is, whatever its partition count, which is logged.
     *
     * @throws IllegalArgumentException when the topic name is blank or {@code partitions < 1}
     * @throws IllegalStateException when the broker is not reachable, rejects the topic, or the
     *     partitions have no leader within {@code timeout}
     */
    public static void ensureTopic(
            String bootstrapServers, String topic, int partitions, Duration timeout) {
        checkServers(bootstrapServers);
        checkTopic(topic, partitions);
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = openAdmin(bootstrapServers, timeout)) {
            boolean created = createTopic(admin, bootstrapServers, topic, partitions, deadline);
            TopicDescription description =
                    awaitLeaders(admin, bootstrapServers, topic, timeout, deadline);
            awaitPartitionsServing(admin, topic, description, timeout, deadline);
            if (created) {
                LOG.info("Created topic {} with {} partitions", topic, partitions);
            } else if (description.partitions().size() == partitions) {
                LOG.debug("Topic {} exists with the {} partitions requested", topic, partitions);
            } else {
                LOG.info(
                        "Topic {} exists with {} partitions; {} were requested, the topic is"
                                + " left as it is",
                        topic,
                        description.partitions().size(),
                        partitions);
            }
        }
    }

    /**
     * Waits until the broker serves every partition of the topic, by listing their latest offsets,
     * a request that only the leader of a partition serves.
     *
     * <p>Kafka 4.2 brokers publish a new topic's leaders in metadata responses slightly before the
     * replica manager takes the partitions over. An idempotent producer that writes in that window
     * can have its first request rejected with NOT_LEADER_OR_FOLLOWER while a later pipelined
     * request is accepted; the retried first request then fails with OUT_OF_ORDER_SEQUENCE_NUMBER
     * until its delivery timeout, and its records are lost (Apache Kafka issue KAFKA-15591). The
     * admin client retries the offset lookup on that error, so once it succeeds the window has
     * passed.
     */
    private static void awaitPartitionsServing(
            Admin admin, String topic, TopicDescription description, Duration timeout, long deadline) {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicPartitionInfo partition : description.partitions()) {
            partitions.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
        }
        long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        try {
            admin.listOffsets(partitions).all().get(remainingMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The partitions of topic " + topic + " were not ready for writes within "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topic " + topic, e);
        }
    }

    /**
     * Returns whether {@code topic} exists on the cluster.
     *
     * @throws IllegalStateException when the broker does not list its topics within {@code timeout}
     */
    public static boolean topicExists(String bootstrapServers, String topic, Duration timeout) {
        return topicNames(bootstrapServers, timeout).contains(topic);
    }

    /**
     * Returns the names of the topics on the cluster, sorted by name, without Kafka's internal
     * topics such as {@code __consumer_offsets}.
     *
     * @throws IllegalStateException when the broker does not list its topics within {@code timeout}
     */
    public static SortedSet<String> topicNames(String bootstrapServers, Duration timeout) {
        checkServers(bootstrapServers);
        checkTimeout(timeout);
        try (Admin admin = openAdmin(bootstrapServers, timeout)) {
            return new TreeSet<>(admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw failure("Listing the topics", bootstrapServers, timeout, e);
        } catch (InterruptedException e) {
            throw interrupted(bootstrapServers, e);
        }
    }

    /**
     * Returns whether {@code topic} contains any record, aborted or committed, which is whether the
     * latest offset of one of its partitions is above the earliest. A missing topic contains none.
     *
     * @throws IllegalStateException when the broker does not reply within {@code timeout}
     */
    public static boolean hasRecords(String bootstrapServers, String topic, Duration timeout) {
        return recordCount(bootstrapServers, topic, timeout) > 0;
    }

    /**
     * Returns the number of offsets in {@code topic}, from the earliest to the latest of
     * each partition, summed. That is the number of records when the producers wrote without
     * transactions, as the example producer does; transaction markers take offsets too. A missing
     * topic has none.
     *
     * @throws IllegalStateException when the broker does not reply within {@code timeout}
     */
    public static long recordCount(String bootstrapServers, String topic, Duration timeout) {
        long count = 0;
        for (long[] range : offsetRanges(bootstrapServers, topic, timeout).values()) {
            count += range[1] - range[0];
        }
        return count;
    }

    /**
     * Returns the first record of each non-empty partition of {@code topic}, in partition
     * order, with keys and values as bytes.
     *
     * @throws IllegalStateException when the broker does not reply, or a non-empty partition
     *     returns no record, within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> firstRecords(
            String bootstrapServers, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, long[]> ranges = offsetRanges(bootstrapServers, topic, timeout);
        Map<TopicPartition, ConsumerRecord<byte[], byte[]>> first = new TreeMap<>(
                Comparator.comparingInt(TopicPartition::partition));
        List<TopicPartition> pending = new ArrayList<>();
        ranges.forEach((partition, range) -> {
            if (range[1] > range[0]) {
                pending.add(new TopicPartition(topic, partition));
            }
        });
        if (pending.isEmpty()) {
            return List.of();
        }

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, timeout))) {
            consumer.assign(pending);
            consumer.seekToBeginning(pending);
            while (first.size() < pending.size()) {
                if (System.nanoTime() >= deadline) {
                    throw new IllegalStateException("Reading the first records of topic " + topic + " from "
                            + bootstrapServers + " timed out after " + timeout.toSeconds() + " s: "
                            + (pending.size() - first.size()) + " of " + pending.size()
                            + " partitions returned none. Check that the broker is running.");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_INTERVAL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (first.putIfAbsent(partition, record) == null) {
                        // One record is enough; stop fetching this partition.
                        consumer.pause(List.of(partition));
                    }
                }
            }
        } catch (KafkaException e) {
            throw failure("Reading the first records of topic " + topic, bootstrapServers, timeout, e);
        }
        return new ArrayList<>(first.values());
    }

    /** Returns the earliest and latest offset of each partition of {@code topic}; empty when it is missing. */
    private static Map<Integer, long[]> offsetRanges(String bootstrapServers, String topic, Duration timeout) {
        checkServers(bootstrapServers);
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = openAdmin(bootstrapServers, timeout)) {
            Map<Integer, long[]> ranges = new TreeMap<>();
            if (!admin.listTopics().names().get(remainingMillis(deadline), TimeUnit.MILLISECONDS).contains(topic)) {
                return ranges;
            }
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartitionInfo partition : description.partitions()) {
                TopicPartition id = new TopicPartition(topic, partition.partition());
                earliest.put(id, OffsetSpec.earliest());
                latest.put(id, OffsetSpec.latest());
            }
            var first = admin.listOffsets(earliest).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            var end = admin.listOffsets(latest).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            for (TopicPartition id : earliest.keySet()) {
                ranges.put(id.partition(), new long[] {first.get(id).offset(), end.get(id).offset()});
            }
            return ranges;
        } catch (ExecutionException | TimeoutException e) {
            throw failure("Reading the offsets of topic " + topic, bootstrapServers, timeout, e);
        } catch (InterruptedException e) {
            throw interrupted(bootstrapServers, e);
        }
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers, Duration timeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "crossprop-topic-check");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        // A few records per partition are plenty: keep each fetch small.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        return config;
    }

    /**
     * Reads the broker configuration {@code transaction.max.timeout.ms}, the largest {@code
     * transaction.timeout.ms} that the broker accepts from a transactional producer.
     *
     * @return the value in milliseconds, read from the first node that the cluster lists
     * @throws IllegalStateException when the broker is not reachable within {@code timeout} or does
     *     not report the setting
     */
    public static long transactionMaxTimeoutMs(String bootstrapServers, Duration timeout) {
        checkServers(bootstrapServers);
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = openAdmin(bootstrapServers, timeout)) {
            Collection<Node> nodes = describeNodes(admin, bootstrapServers, timeout, deadline);
            Node node = nodes.iterator().next();
            ConfigResource resource =
                    new ConfigResource(ConfigResource.Type.BROKER, node.idString());
            Map<ConfigResource, Config> configs;
            try {
                configs =
                        admin.describeConfigs(
                                        List.of(resource),
                                        new DescribeConfigsOptions()
                                                .timeoutMs(remainingTimeoutMs(deadline)))
                                .all()
                                .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw failure(
                        "Reading broker configuration "
                                + BrokerProperties.TRANSACTION_MAX_TIMEOUT_MS
                                + " of node "
                                + node.idString(),
                        bootstrapServers,
                        timeout,
                        e);
            } catch (InterruptedException e) {
                throw interrupted(bootstrapServers, e);
            }
            ConfigEntry entry =
                    Optional.ofNullable(configs.get(resource))
                            .map(config -> config.get(BrokerProperties.TRANSACTION_MAX_TIMEOUT_MS))
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "Kafka broker at "
                                                            + bootstrapServers
                                                            + " did not report "
                                                            + BrokerProperties
                                                                    .TRANSACTION_MAX_TIMEOUT_MS
                                                            + " for node "
                                                            + node.idString()));
            return Long.parseLong(entry.value());
        }
    }

    /** Opens an admin client whose requests and API calls give up after {@code timeout}. */
    static Admin openAdmin(String bootstrapServers, Duration timeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, Object> config =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        AdminClientConfig.CLIENT_ID_CONFIG, "crossprop-admin",
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                        // Kafka's default backs off up to 1 s between reconnects, which would make
                        // a short wait for a broker that is still starting wait longer than needed.
                        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try {
            return Admin.create(config);
        } catch (KafkaException e) {
            throw new IllegalArgumentException(
                    "bootstrap servers '"
                            + bootstrapServers
                            + "' are invalid: "
                            + rootMessage(e)
                            + ". Pass a comma-separated list of host:port such as 127.0.0.1:9092",
                    e);
        }
    }

    private static Collection<Node> describeNodes(
            Admin admin, String bootstrapServers, Duration timeout, long deadline) {
        try {
            Collection<Node> nodes =
                    admin.describeCluster(
                                    new DescribeClusterOptions()
                                            .timeoutMs(remainingTimeoutMs(deadline)))
                            .nodes()
                            .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw unreachable(bootstrapServers, timeout, "the cluster lists no nodes");
            }
            return nodes;
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(bootstrapServers, timeout, rootMessage(e));
        } catch (InterruptedException e) {
            throw interrupted(bootstrapServers, e);
        }
    }

    /** Returns true when this call created the topic, false when it existed already. */
    private static boolean createTopic(
            Admin admin, String bootstrapServers, String topic, int partitions, long deadline) {
        Duration timeout = Duration.ofMillis(remainingMillis(deadline));
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw failure("Creating topic " + topic, bootstrapServers, timeout, e);
        } catch (TimeoutException e) {
            throw failure("Creating topic " + topic, bootstrapServers, timeout, e);
        } catch (InterruptedException e) {
            throw interrupted(bootstrapServers, e);
        }
    }

    /**
     * Polls the topic's metadata until every partition has a leader, because a topic that the
     * controller has just created may not have reached the broker's metadata cache yet.
     */
    static TopicDescription awaitLeaders(
            Admin admin, String bootstrapServers, String topic, Duration timeout, long deadline) {
        Throwable lastCause = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description =
                        admin.describeTopics(
                                        Set.of(topic),
                                        new DescribeTopicsOptions()
                                                .timeoutMs(remainingTimeoutMs(deadline)))
                                .allTopicNames()
                                .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
                                .get(topic);
                if (hasAllLeaders(description)) {
                    return description;
                }
                lastCause = null;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure("Describing topic " + topic, bootstrapServers, timeout, e);
                }
                lastCause = e.getCause();
            } catch (TimeoutException e) {
                lastCause = e;
            } catch (InterruptedException e) {
                throw interrupted(bootstrapServers, e);
            }
            sleep(bootstrapServers);
        }
        throw new IllegalStateException(
                "Topic "
                        + topic
                        + " at "
                        + bootstrapServers
                        + " has partitions without a leader after "
                        + describe(timeout)
                        + (lastCause == null ? "" : ": " + rootMessage(lastCause))
                        + ". Check the broker log");
    }

    private static boolean hasAllLeaders(TopicDescription description) {
        if (description == null || description.partitions().isEmpty()) {
            return false;
        }
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.leader() == null || partition.leader().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    static void checkServers(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "bootstrap servers are '"
                            + bootstrapServers
                            + "', but a comma-separated list of host:port is required, such as"
                            + " 127.0.0.1:9092");
        }
    }

    static void checkTopic(String topic, int partitions) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(
                    "topic is '" + topic + "', but a topic name is required, such as examples");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "partitions of topic "
                            + topic
                            + " is "
                            + partitions
                            + ", but a topic needs at least 1 partition");
        }
    }

    static void checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(
                    "timeout is " + timeout + ", but it must be positive, such as PT30S");
        }
    }

    static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Returns {@link #remainingMillis} in the {@code Integer} that Admin options take. */
    private static Integer remainingTimeoutMs(long deadline) {
        return (int) Math.min(Integer.MAX_VALUE, remainingMillis(deadline));
    }

    private static IllegalStateException unreachable(
            String bootstrapServers, Duration timeout, String cause) {
        return new IllegalStateException(
                "Kafka broker at "
                        + bootstrapServers
                        + " not reachable after "
                        + describe(timeout)
                        + ": "
                        + cause
                        + ". Check --bootstrap-servers and that the broker is running");
    }

    private static IllegalStateException failure(
            String action, String bootstrapServers, Duration timeout, Exception error) {
        return new IllegalStateException(
                action
                        + " at "
                        + bootstrapServers
                        + " failed within "
                        + describe(timeout)
                        + ": "
                        + rootMessage(error),
                error);
    }

    private static IllegalStateException interrupted(
            String bootstrapServers, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException(
                "Interrupted while waiting for Kafka broker at " + bootstrapServers, e);
    }

    private static void sleep(String bootstrapServers) {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            throw interrupted(bootstrapServers, e);
        }
    }

    /** Returns the message of the innermost cause, prefixed by its class name. */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root.getMessage() == null) {
            // The Kafka clients throw timeouts without a message.
            return root instanceof TimeoutException || root instanceof org.apache.kafka.common.errors.TimeoutException
                    ? "no answer in time"
                    : root.getClass().getSimpleName();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Formats a timeout for messages: "30 s", or "500 ms" below a whole second. */
    static String describe(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
