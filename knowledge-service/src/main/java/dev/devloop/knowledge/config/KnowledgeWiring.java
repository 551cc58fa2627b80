package dev.devloop.knowledge.config;

import dev.devloop.knowledge.adapters.out.mongo.MongoFactStore;
import dev.devloop.knowledge.adapters.out.neo4j.Neo4jFactStore;
import dev.devloop.knowledge.application.AgentMirrorService;
import dev.devloop.knowledge.application.EntityService;
import dev.devloop.knowledge.application.EventDeduplicator;
import dev.devloop.knowledge.application.FactEventService;
import dev.devloop.knowledge.adapters.out.redis.RedisFactStore;
import dev.devloop.knowledge.application.FactLimits;
import dev.devloop.knowledge.application.FactService;
import dev.devloop.knowledge.application.GraphLimits;
import dev.devloop.knowledge.application.SweepService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import dev.devloop.knowledge.ports.out.AgentGraphPort;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import dev.devloop.knowledge.ports.out.ProcessedEventsPort;
import java.time.Clock;
import java.util.List;

/** Wires the framework-free core to its adapters. */
@ApplicationScoped
public class KnowledgeWiring {

  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @ApplicationScoped
  FactService factService(RedisFactStore shortTier, MongoFactStore mediumTier, Neo4jFactStore longTier,
      KnowledgeConfig config, Clock clock) {
    KnowledgeConfig.Facts facts = config.facts();
    FactLimits limits =
        new FactLimits(facts.maxKeyLength(), facts.maxValueBytes(), facts.maxTtlSeconds(), facts.maxListSize());
    return new FactService(shortTier, mediumTier, longTier, limits, clock);
  }

  @Produces
  @ApplicationScoped
  SweepService sweepService(MongoFactStore mediumTier, Neo4jFactStore longTier, ProcessedEventsPort processed,
      KnowledgeConfig config, Clock clock) {
    return new SweepService(List.of(mediumTier, longTier), processed, config.events().dedupRetention(),
        config.sweeper().batchSize(), config.sweeper().maxBatches(), clock);
  }

  @Produces
  @ApplicationScoped
  EventDeduplicator eventDeduplicator(ProcessedEventsPort processed, KnowledgeConfig config, Clock clock) {
    return new EventDeduplicator(processed, clock, config.events().maxAttempts(), config.events().retryBackoff());
  }

  @Produces
  @ApplicationScoped
  FactEventService factEventService(FactService facts, EventDeduplicator once) {
    return new FactEventService(facts, once);
  }

  @Produces
  @ApplicationScoped
  AgentMirrorService agentMirrorService(AgentGraphPort graph, EventDeduplicator once, KnowledgeConfig config) {
    return new AgentMirrorService(graph, once, config.agents().maxTreeDepth(), config.agents().maxTreeNodes(),
        config.facts().maxKeyLength());
  }

  @Produces
  @ApplicationScoped
  EntityService entityService(EntityGraphPort graph, KnowledgeConfig config, Clock clock) {
    KnowledgeConfig.Graph g = config.graph();
    GraphLimits limits = new GraphLimits(config.facts().maxKeyLength(), config.facts().maxValueBytes(),
        g.defaultListLimit(), g.maxListLimit(), g.maxRelations(), g.maxDepth(), g.maxNeighbourhoodEntities());
    return new EntityService(graph, limits, clock);
  }
}
