package dev.ich.labeling.table;

import dev.ich.core.contract.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Positions the consumer where the table says it stopped, not where a consumer group last committed: the
 * table and its offsets change in one transaction, so this is exactly-once into the table. A partition
 * the table has never seen (a fresh volume) is read from the beginning of the compacted topic.
 */
@ApplicationScoped
@Identifier(TableOffsets.NAME)
public class TableOffsets implements KafkaConsumerRebalanceListener {
    public static final String NAME = "slices-table-offsets";
    private static final Logger LOG = Logger.getLogger(TableOffsets.class);

    @Inject
    SliceTable table;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        resume(consumer, partitions, table.nextOffsets(Topics.SLICES_CLEANED));
    }

    /** Seeks each partition to {@code next} (the database's own offsets), or to the beginning where it has none. */
    public static void resume(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Map<Integer, Long> next) {
        for (TopicPartition tp : partitions) {
            Long offset = next.get(tp.partition());
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
                LOG.infof("%s: the database has nothing from it yet, reading from the beginning", tp);
            } else {
                consumer.seek(tp, offset);
                LOG.infof("%s: resuming at offset %d, where the database stopped", tp, offset);
            }
        }
    }
}
