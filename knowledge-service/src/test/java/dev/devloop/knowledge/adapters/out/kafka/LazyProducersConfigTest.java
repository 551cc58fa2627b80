package dev.devloop.knowledge.adapters.out.kafka;

import dev.devloop.archrules.LazyKafkaProducersTest;

/** Every producer is created with its first record; KafkaConsumersTest, ReadCacheTest and RoadmapEventsTest read the first records and dead letters. */
class LazyProducersConfigTest extends LazyKafkaProducersTest {}
