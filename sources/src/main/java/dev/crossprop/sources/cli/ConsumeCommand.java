package dev.crossprop.sources.cli;

import dev.crossprop.sources.kafka.KafkaAdmin;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@code consume} command: prints the committed records of a Kafka topic, one per line, so
 * that the job's topics can be read without a Kafka download.
 *
 * <p>The command reads every partition from its earliest offset with {@code
 * isolation.level=read_committed}, so records of aborted transactions never print, and records
 * of open transactions print once they are committed. It assigns the partitions itself and has no
 * consumer group, so it commits no offsets and never takes partitions from another consumer.
 * Partitions added to the topic while the command runs are not read.
 *
 * <p>Each line is the record value as {@link RecordText#value} renders it: UTF-8 text, the JSON
 * of a binary example, or {@code base64:} and the bytes in base64. {@code --position} and {@code
 * --key} put {@code PARTITION:OFFSET} and the key in front, each followed by a tab. Lines go to
 * standard output in the order the consumer returns them, which is offset order within a
 * partition. The command stops after {@code --max-records}, after {@code --idle-timeout} without
 * a new record, or, with {@code --follow}, on Ctrl-C. It then writes one summary line to standard
 * error: the records printed per partition and why it stopped.
 *
 * <p>NOTE: a stop by Ctrl-C or SIGTERM still exits with the JVM's signal exit code, 130 or 143,
 * not 0, because the summary is printed while the JVM shuts down.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = {
            "Print the committed records of a Kafka topic, one per line, from the beginning of"
                    + " every partition.",
            "Binary examples print as JSON. A value that is neither UTF-8 text nor an example"
                    + " prints as base64: and its bytes in base64. A summary goes to standard"
                    + " error."
        })
public final class ConsumeCommand implements Callable<Integer> {

    /** Default of {@code --idle-timeout}, in the syntax of {@link DurationConverter}. */
    static final String DEFAULT_IDLE_TIMEOUT = "5s";

    /** Maximum duration of one poll. A poll returns as soon as records arrive. */
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    /** Maximum number of topic names that the error for an unknown topic lists. */
    private static final int MAX_LISTED_TOPICS = 50;

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, comma-separated.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            required = true,
            description = "Topic to read, for example geoff-quick-errors.")
    String topic;

    @Option(
            names = "--max-records",
            paramLabel = "N",
            description = "Stop after printing N records (default: no limit).")
    Long maxRecords;

    @Option(
            names = "--idle-timeout",
            defaultValue = DEFAULT_IDLE_TIMEOUT,
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "Stop when no record has arrived for this long: milliseconds, or a value such"
                            + " as 500ms, 10s, 2min (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(
            names = "--follow",
            description = "Wait for new records until Ctrl-C instead of stopping when idle.")
    boolean follow;

    @Option(
            names = "--key",
            description =
                    "Print each record's key and a tab before the value; a record without a key"
                            + " has an empty key.")
    boolean key;

    @Option(
            names = "--position",
            description = "Print PARTITION:OFFSET and a tab at the start of each line.")
    boolean position;

    @Mixin BrokerTimeout brokerTimeout = new BrokerTimeout();

    /** Destination of the record lines: standard output, unless a test passes another stream. */
    private final OutputStream out;

    /** Creates the command that writes to standard output, as the command line needs. */
    public ConsumeCommand() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    /** Creates a command that writes its record lines to {@code out}, which it never closes. */
    ConsumeCommand(OutputStream out) {
        this.out = out;
    }

    /**
     * Returns a command line that prints error messages without stack traces, and usage errors
     * without the whole usage text.
     */
    public static CommandLine commandLine() {
        return commandLine(new ConsumeCommand());
    }

    static CommandLine commandLine(ConsumeCommand command) {
        return UsageErrorHandler.commandLine(command, "consume");
    }

    /** Reason for the end of reading, when the command stopped without a failure. */
    private enum StopReason {
        MAX_RECORDS,
        IDLE,
        SHUTDOWN,
        OUTPUT_CLOSED
    }

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        checkOptions(commandLine);
        Duration timeout = brokerTimeout.duration(commandLine);
        try {
            KafkaAdmin.awaitReachable(bootstrapServers, timeout);
        } catch (IllegalArgumentException e) {
            // Invalid --bootstrap-servers, such as a host without a port.
            throw new ParameterException(commandLine, e.getMessage());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (--timeout sets how long to wait)", e);
        }
        checkTopicExists(timeout);

        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(timeout))) {
            List<TopicPartition> partitions = assignFromEarliest(consumer, timeout);
            Map<Integer, Long> counts = new TreeMap<>();
            for (TopicPartition partition : partitions) {
                counts.put(partition.partition(), 0L);
            }
            printUntilStopped(consumer, counts, commandLine.getErr());
        }
        return 0;
    }

    private void checkOptions(CommandLine commandLine) {
        if (topic.isBlank()) {
            throw new ParameterException(
                    commandLine, "--topic is empty; name a topic such as geoff-quick-errors.");
        }
        if (maxRecords != null && maxRecords < 1) {
            throw new ParameterException(
                    commandLine,
                    "--max-records is "
                            + maxRecords
                            + " but must be at least 1; leave it out to print every record.");
        }
        if (follow && commandLine.getParseResult().hasMatchedOption("--idle-timeout")) {
            throw new ParameterException(
                    commandLine,
                    "--follow waits until Ctrl-C, so it ignores --idle-timeout; give only one of"
                            + " them.");
        }
    }

    /**
     * Throws an {@link IllegalStateException} that lists the broker's topics when {@code topic} is
     * not one of them, because a consumer would wait for a missing topic until its timeout.
     */
    private void checkTopicExists(Duration timeout) {
        SortedSet<String> topics = KafkaAdmin.topicNames(bootstrapServers, timeout);
        if (topics.contains(topic)) {
            return;
        }
        String message = "Topic '" + topic + "' not found at " + bootstrapServers + ".";
        if (topics.isEmpty()) {
            message += " The broker has no topics yet.";
        } else {
            String names =
                    topics.stream()
                            .limit(MAX_LISTED_TOPICS)
                            .collect(Collectors.joining(", "));
            message +=
                    topics.size() > MAX_LISTED_TOPICS
                            ? " The first " + MAX_LISTED_TOPICS + " of its " + topics.size()
                                    + " topics: " + names + "."
                            : " Its topics: " + names + ".";
        }
        throw new IllegalStateException(message + " Pass one of them with --topic.");
    }

    private Map<String, Object> consumerConfig(Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "crossprop-consume");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The consumer has no group id, so it cannot commit offsets and auto-commit must be off.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Reading from the earliest offset again is right when retention deletes the position.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return config;
    }

    /**
     * Assigns every partition of the topic, in partition order, and positions each at its earliest
     * offset.
     *
     * @throws IllegalStateException when the broker does not return the partitions or the earliest
     *     offsets within {@code timeout}
     */
    private List<TopicPartition> assignFromEarliest(
            KafkaConsumer<byte[], byte[]> consumer, Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            partitions.sort(Comparator.comparingInt(TopicPartition::partition));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // position() completes the seek, so the idle time counts from when fetching can start.
            for (TopicPartition partition : partitions) {
                consumer.position(partition, timeout);
            }
        } catch (KafkaException e) {
            throw new IllegalStateException(
                    "Finding the partitions and earliest offsets of topic '"
                            + topic
                            + "' at "
                            + bootstrapServers
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException(
                    "Topic '" + topic + "' at " + bootstrapServers + " has no partitions.");
        }
        return partitions;
    }

    /**
     * Prints records until a stop condition, then the summary line to {@code err}, also after a
     * failure. A shutdown hook wakes the consumer on Ctrl-C and waits for the summary.
     */
    private void printUntilStopped(
            KafkaConsumer<byte[], byte[]> consumer, Map<Integer, Long> counts, PrintWriter err) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            consumer.wakeup();
                            try {
                                // Give the main thread time to flush and print the summary.
                                finished.await(brokerTimeout.seconds, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "consume-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        StopReason reason = null;
        try {
            reason = printRecords(consumer, counts);
        } finally {
            err.println(summary(counts, reason));
            err.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down, so the hook has run or is running.
            }
        }
    }

    /**
     * Polls and prints records, flushing after every poll, and adds each printed record to its
     * partition's count in {@code counts}.
     *
     * @throws IllegalStateException when the consumer fails or standard output cannot be
     *     written for another reason than a closed pipe
     */
    private StopReason printRecords(
            KafkaConsumer<byte[], byte[]> consumer, Map<Integer, Long> counts) {
        BufferedOutputStream lines = new BufferedOutputStream(out, 1 << 16);
        long printed = 0;
        long lastRecordNanos = System.nanoTime();
        try {
            while (true) {
                ConsumerRecords<byte[], byte[]> records =
                        consumer.poll(pollTimeout(lastRecordNanos));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    lines.write(line(record));
                    counts.merge(record.partition(), 1L, Long::sum);
                    printed++;
                    if (maxRecords != null && printed >= maxRecords) {
                        lines.flush();
                        return StopReason.MAX_RECORDS;
                    }
                }
                lines.flush();
                if (!records.isEmpty()) {
                    lastRecordNanos = System.nanoTime();
                } else if (!follow
                        && System.nanoTime() - lastRecordNanos >= idleTimeout.toNanos()) {
                    return StopReason.IDLE;
                }
            }
        } catch (WakeupException e) {
            // Only poll() throws it, and every batch before that poll has been flushed.
            return StopReason.SHUTDOWN;
        } catch (KafkaException e) {
            throw new IllegalStateException(
                    "Reading topic '" + topic + "' from " + bootstrapServers + " failed: "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            // A reader that stops early, as in "consume ... | head", closes the pipe: a normal end.
            if ("Broken pipe".equals(e.getMessage())) {
                return StopReason.OUTPUT_CLOSED;
            }
            throw new IllegalStateException(
                    "Writing the records to standard output failed: " + e.getMessage(), e);
        }
    }

    /** Returns the time left until the idle timeout, at most {@link #MAX_POLL}. */
    private Duration pollTimeout(long lastRecordNanos) {
        if (follow) {
            return MAX_POLL;
        }
        long left = idleTimeout.toNanos() - (System.nanoTime() - lastRecordNanos);
        long oneMilli = TimeUnit.MILLISECONDS.toNanos(1);
        return Duration.ofNanos(Math.max(oneMilli, Math.min(left, MAX_POLL.toNanos())));
    }

    private byte[] line(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder line = new StringBuilder();
        if (position) {
            line.append(record.partition()).append(':').append(record.offset()).append('\t');
        }
        if (key) {
            line.append(RecordText.key(record.key())).append('\t');
        }
        line.append(RecordText.value(record.value())).append('\n');
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the summary line: records printed, per partition, and the reason for stopping. */
    private String summary(Map<Integer, Long> counts, StopReason reason) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String perPartition =
                counts.entrySet().stream()
                        .map(entry -> "partition " + entry.getKey() + ": " + entry.getValue())
                        .collect(Collectors.joining(", "));
        return "consume: printed "
                + total
                + (total == 1 ? " record" : " records")
                + " of topic "
                + topic
                + " ("
                + perPartition
                + "); "
                + stopDescription(reason, total)
                + ".";
    }

    private String stopDescription(StopReason reason, long total) {
        if (reason == null) {
            return "stopped by the error below";
        }
        return switch (reason) {
            case MAX_RECORDS -> "stopped at --max-records " + maxRecords;
            case SHUTDOWN -> "stopped by Ctrl-C or a termination signal";
            case OUTPUT_CLOSED -> "stopped because the reader of standard output closed it, perhaps before"
                    + " reading them all";
            case IDLE -> "stopped because no record arrived for "
                    + DurationConverter.format(idleTimeout)
                    + (total == 0
                            ? " (records of open transactions show once they are committed)"
                            : "");
        };
    }

    /**
     * Converts a duration option: a number of milliseconds, or a number with the unit {@code ms},
     * {@code s} or {@code min}, as {@code checkpoint_interval} of the experiment files takes it.
     * Only positive durations are accepted.
     */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            Duration duration;
            try {
                if (text.endsWith("ms")) {
                    duration = Duration.ofMillis(number(text, 2));
                } else if (text.endsWith("min")) {
                    duration = Duration.ofMinutes(number(text, 3));
                } else if (text.endsWith("s")) {
                    duration = Duration.ofSeconds(number(text, 1));
                } else {
                    duration = Duration.ofMillis(Long.parseLong(text));
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration; use milliseconds or a value such as"
                                + " 500ms, 10s, 2min.");
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new TypeConversionException(
                        "'" + value + "' is not positive; use a duration such as 500ms, 10s,"
                                + " 2min.");
            }
            return duration;
        }

        private static long number(String text, int unitLength) {
            return Long.parseLong(text.substring(0, text.length() - unitLength).trim());
        }

        /** Formats a duration in the largest of min, s and ms that shows it exactly. */
        static String format(Duration duration) {
            long millis = duration.toMillis();
            if (millis % 60_000 == 0) {
                return millis / 60_000 + "min";
            }
            if (millis % 1000 == 0) {
                return millis / 1000 + "s";
            }
            return millis + "ms";
        }
    }
}
