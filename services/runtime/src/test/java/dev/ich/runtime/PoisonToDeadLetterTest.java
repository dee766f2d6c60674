package dev.ich.runtime;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choice the strategy makes; what each of SmallRye's two handlers then does is SmallRye's (labeling's
 * MetadataTableTest sees poison records arrive on slices-cleaned-dlq through the real one).
 */
class PoisonToDeadLetterTest {
    /** Stands in for one of SmallRye's factories: records which failures its handler was given. */
    static final class Recording implements KafkaFailureHandler.Factory {
        final List<Throwable> handled = new ArrayList<>();
        boolean terminated;

        @Override
        public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
                BiConsumer<Throwable, Boolean> reportFailure) {
            return new KafkaFailureHandler() {
                @Override
                public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                    handled.add(reason);
                    return Uni.createFrom().voidItem();
                }

                @Override
                public void terminate() {
                    terminated = true;
                }
            };
        }
    }

    @Test
    void poisonGoesToTheDeadLetterHandlerAndEverythingElseStopsTheChannel() {
        PoisonToDeadLetter strategy = new PoisonToDeadLetter();
        Recording deadLetters = new Recording();
        Recording fail = new Recording();
        strategy.deadLetterQueue = deadLetters;
        strategy.fail = fail;
        KafkaFailureHandler handler = strategy.create(null, null, null, (t, b) -> { });

        PoisonRecord poison = new PoisonRecord("not a slices-cleaned row");
        IllegalStateException outage = new IllegalStateException("database file locked");
        handler.handle(null, poison, Metadata.empty()).await().indefinitely();
        handler.handle(null, outage, Metadata.empty()).await().indefinitely();
        handler.handle(null, new RuntimeException(poison), Metadata.empty()).await().indefinitely();

        assertThat(deadLetters.handled).containsExactly(poison);
        assertThat(fail.handled).hasSize(2).first().isSameAs(outage);
        handler.terminate();
        assertThat(deadLetters.terminated).isTrue();
        assertThat(fail.terminated).isTrue();
    }
}
