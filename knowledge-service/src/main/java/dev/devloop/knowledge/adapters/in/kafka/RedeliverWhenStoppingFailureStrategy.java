package dev.devloop.knowledge.adapters.in.kafka;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The consumers' failure strategy ({@code failure-strategy=}{@value #NAME}): SmallRye's dead-letter queue (same
 * {@code dead-letter-queue.*} settings), except while the service stops ({@link ConsumerDrain#stopping()}). Then the
 * failure is the shutdown's (a closed store, a refused event), so the record is neither dead-lettered nor
 * acknowledged: the throttled commit strategy never commits past an unacknowledged offset, and Kafka redelivers the
 * record (and those after it) to the next consumer of the group.
 */
@ApplicationScoped
@Identifier(RedeliverWhenStoppingFailureStrategy.NAME)
public class RedeliverWhenStoppingFailureStrategy implements KafkaFailureHandler.Factory {
    public static final String NAME = "dead-letter-unless-stopping";

    private final KafkaFailureHandler.Factory deadLetterQueue;
    private final ConsumerDrain drain;

    public RedeliverWhenStoppingFailureStrategy(
            @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory deadLetterQueue,
            ConsumerDrain drain) {
        this.deadLetterQueue = deadLetterQueue;
        this.drain = drain;
    }

    @Override
    public KafkaFailureHandler create(
            KafkaConnectorIncomingConfiguration config,
            Vertx vertx,
            KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        return handler(config.getChannel(), deadLetterQueue.create(config, vertx, consumer, reportFailure), drain);
    }

    /** The decision, apart from SmallRye's wiring: dead-letter through {@code dlq} unless {@code drain} is stopping. */
    static KafkaFailureHandler handler(String channel, KafkaFailureHandler dlq, ConsumerDrain drain) {
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                if (drain.stopping()) {
                    Log.infof(
                            "%s record %s-%d@%d failed while the service stops (%s): not dead-lettered, left"
                                    + " uncommitted for redelivery",
                            channel, record.getTopic(), record.getPartition(), record.getOffset(), reason.getMessage());
                    return Uni.createFrom().voidItem();
                }
                return dlq.handle(record, reason, metadata);
            }

            @Override
            public void terminate() {
                dlq.terminate();
            }
        };
    }
}
