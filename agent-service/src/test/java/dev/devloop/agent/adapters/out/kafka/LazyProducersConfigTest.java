package dev.devloop.agent.adapters.out.kafka;

import dev.devloop.archrules.LazyKafkaProducersTest;

/** Every producer is created with its first record; AgentResourceTest reads the first lifecycle events, AgentTaskConsumerTest and GrantRevocationConsumerTest the first dead letters. */
class LazyProducersConfigTest extends LazyKafkaProducersTest {}
