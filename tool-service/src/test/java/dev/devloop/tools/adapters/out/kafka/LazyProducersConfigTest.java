package dev.devloop.tools.adapters.out.kafka;

import dev.devloop.archrules.LazyKafkaProducersTest;

/** Every producer is created with its first record; InvocationEventsTest reads the first invocation and published events. */
class LazyProducersConfigTest extends LazyKafkaProducersTest {}
