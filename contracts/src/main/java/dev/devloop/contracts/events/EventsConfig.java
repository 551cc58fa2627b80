package dev.devloop.contracts.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this service treats the provenance of the Kafka records it consumes. */
@ConfigMapping(prefix = "devloop.events")
public interface EventsConfig {
    /**
     * Refuse records with neither a producer signature nor a producer grant. Turn it off only while the producers of
     * a cell are upgraded to signing: unsigned records are then accepted and counted, signed ones still verified.
     */
    @WithDefault("${DEVLOOP_EVENTS_REQUIRE_SIGNATURE:true}")
    boolean requireSignature();
}
