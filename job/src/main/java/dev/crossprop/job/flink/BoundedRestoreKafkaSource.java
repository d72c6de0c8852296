package dev.crossprop.job.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * A {@link KafkaSource} whose bounded mode also ends after the job was restored from a savepoint,
 * a retained checkpoint or a JobManager failover.
 *
 * <p>In flink-connector-kafka 5.0.0-2.2 a restored enumerator finds every partition already
 * assigned, and so never signals to the readers that no more splits will come: the readers reach their
 * stopping offsets and then wait for ever. This source wraps the restored enumerator and sends
 * that signal to every reader when it registers, provided the restored state contains no unassigned
 * split. It changes nothing else: readers, splits, checkpoint format and unbounded mode are the
 * connector's, so savepoints of either source restore into the other.
 *
 * <p>NOTE: partitions added to the topic between the snapshot and the restore are assigned after
 * that signal, which the connector does not expect; a bounded experiment's topic is not meant to
 * grow.
 */
public final class BoundedRestoreKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(BoundedRestoreKafkaSource.class);

    private final KafkaSource<T> kafka;

    public BoundedRestoreKafkaSource(KafkaSource<T> kafka) {
        this.kafka = kafka;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        return kafka.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws IOException {
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored = kafka.restoreEnumerator(context, state);
        if (getBoundedness() != Boundedness.BOUNDED) {
            return restored;
        }
        if (!state.initialDiscoveryFinished() || !state.unassignedSplits().isEmpty()) {
            // NOTE: the connector assigns these splits later, and the readers may still wait for
            // ever once they are done. Such splits come from a checkpoint taken while a reader had
            // not registered yet.
            LOG.warn("Restored a bounded Kafka source with {} unassigned splits; it may not end by itself,"
                    + " cancel the job once its output is complete", state.unassignedSplits().size());
            return restored;
        }
        LOG.info("Restored a bounded Kafka source with {} assigned splits; each reader is told that no more splits"
                + " will come when it registers", state.assignedSplits().size());
        return new NoMoreSplitsOnRegistration(restored, context);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    /** Passes every call to the restored enumerator and signals no more splits to each registered reader. */
    private static final class NoMoreSplitsOnRegistration
            implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;

        NoMoreSplitsOnRegistration(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored,
                SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.restored = restored;
            this.context = context;
        }

        @Override
        public void start() {
            restored.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            restored.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            restored.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            // The restored enumerator hands the reader its pending splits first, if any.
            restored.addReader(subtaskId);
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return restored.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            restored.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            restored.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            restored.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws IOException {
            restored.close();
        }
    }
}
