package dev.crossprop.job;

import java.io.Serializable;

/**
 * How one submission of the job connects and where it writes, as set on the command line.
 *
 * @param bootstrapServers Kafka bootstrap servers, HOST:PORT[,HOST:PORT...]
 * @param bounded true to stop at the end offsets seen at start (finite experiments), false to
 *     read until cancelled (live feeds)
 * @param resultsDir folder for CSV results, or null to write no files
 * @param kafkaOutputs whether to write the error, norm, aggregate and dead-letter topics
 * @param jobName Flink job name; also the prefix of the Kafka sinks' transactional ids
 */
public record JobOptions(
        String bootstrapServers, boolean bounded, String resultsDir, boolean kafkaOutputs, String jobName)
        implements Serializable {}
