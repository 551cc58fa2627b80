package dev.devloop.gateway.adapters.out.kafka;

import dev.devloop.archrules.LazyKafkaProducersTest;

/** Every producer is created with its first record; the webhook, forge-event and grant-revocation tests read the first records. */
class LazyProducersConfigTest extends LazyKafkaProducersTest {}
