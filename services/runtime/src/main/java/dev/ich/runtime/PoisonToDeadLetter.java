package dev.ich.runtime;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.util.function.BiConsumer;

/**
 * The failure strategy {@value #STRATEGY}: SmallRye's own two, chosen per failure. A record nacked with a
 * {@link PoisonRecord} goes to the channel's dead-letter topic ({@code dead-letter-queue.topic}, SmallRye's
 * {@code dead-letter-queue} handler, its headers and all) and the channel goes on; any other failure is SmallRye's
 * {@code fail}: the channel stops and health turns down. For a consumer whose failures are of two kinds (labeling's
 * table: a bad record must not stop the table; a database that does not answer must not dead-letter good records,
 * since the offsets live in the table and the next start resumes from them).
 */
@ApplicationScoped
@Identifier(PoisonToDeadLetter.STRATEGY)
@Unremovable
public class PoisonToDeadLetter implements KafkaFailureHandler.Factory {
    public static final String STRATEGY = "poison-to-dead-letter";

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetterQueue;

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.FAIL)
    KafkaFailureHandler.Factory fail;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler poison = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        KafkaFailureHandler other = fail.create(config, vertx, consumer, reportFailure);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return (reason instanceof PoisonRecord ? poison : other).handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                poison.terminate();
                other.terminate();
            }
        };
    }
}
