package dev.ich.labeling.drift;

import dev.ich.core.contract.Topics;
import dev.ich.labeling.table.SliceTable;
import dev.ich.labeling.table.TableOffsets;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/** As {@link TableOffsets} for {@code predictions}: consumption resumes where the prediction table's transaction stopped. */
@ApplicationScoped
@Identifier(PredictionOffsets.NAME)
public class PredictionOffsets implements KafkaConsumerRebalanceListener {
    public static final String NAME = "predictions-table-offsets";

    @Inject
    SliceTable table;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        TableOffsets.resume(consumer, partitions, table.nextOffsets(Topics.PREDICTIONS));
    }
}
