package dev.devloop.provider.adapters.out.kafka;

import dev.devloop.archrules.LazyKafkaProducersTest;

/** Every producer is created with its first record; KafkaUsagePublisherTest reads the first usage records. */
class LazyProducersConfigTest extends LazyKafkaProducersTest {}
