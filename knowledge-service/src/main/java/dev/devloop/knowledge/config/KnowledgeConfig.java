package dev.devloop.knowledge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Typed settings of knowledge-service. */
@ConfigMapping(prefix = "devloop.knowledge")
public interface KnowledgeConfig {
  /** MongoDB database holding medium-term facts and processed event ids. */
  @WithDefault("devloop_knowledge")
  String database();

  /** Bounds on fact requests. */
  Facts facts();

  /** Bounds on store calls and health checks. */
  Stores stores();

  /** The sweeper of expired facts. */
  Sweeper sweeper();

  /** Kafka consumers. */
  Events events();

  /** The agent tree read from the graph. */
  Agents agents();

  /** Bounds on entity graph requests. */
  Graph graph();

  /** Bounds on entity graph requests. */
  interface Graph {
    /** Entities or relationships listed when the request names no limit. */
    @WithDefault("100")
    int defaultListLimit();

    /** Most entities or relationships one list returns. */
    @WithDefault("1000")
    int maxListLimit();

    /** Most relations returned with one entity. */
    @WithDefault("500")
    int maxRelations();

    /** Deepest neighbourhood, in hops. */
    @WithDefault("3")
    int maxDepth();

    /** Most entities in one neighbourhood. */
    @WithDefault("500")
    int maxNeighbourhoodEntities();
  }

  /** Bounds on fact requests. */
  interface Facts {
    /** Longest entity or attribute name, in characters. */
    @WithDefault("256")
    int maxKeyLength();

    /** Largest value, in bytes of its JSON text. */
    @WithDefault("65536")
    int maxValueBytes();

    /** Longest TTL accepted, in seconds (ten years); omit the TTL for facts that never expire. */
    @WithDefault("315360000")
    long maxTtlSeconds();

    /** Most facts returned when listing an entity. */
    @WithDefault("1000")
    int maxListSize();
  }

  /** Bounds on store calls and health checks. */
  interface Stores {
    /** Timeout of every Neo4j transaction. */
    @WithDefault("5s")
    Duration neo4jTransactionTimeout();

    /** Timeout of each readiness check. */
    @WithDefault("3s")
    Duration healthTimeout();
  }

  /** The sweeper of expired facts. */
  interface Sweeper {
    /** How often the sweeper runs (a Quarkus scheduler interval such as {@code 60s}). */
    @WithDefault("60s")
    String every();

    /** Facts deleted per batch. */
    @WithDefault("500")
    int batchSize();

    /** Batches per store and run; the rest waits for the next run. */
    @WithDefault("20")
    int maxBatches();
  }

  /** Kafka consumers. */
  interface Events {
    /** Attempts per event while a store is unavailable, before the event goes to the dead-letter topic. */
    @WithDefault("3")
    int maxAttempts();

    /** Pause between those attempts. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** How long processed event ids are remembered for de-duplication. */
    @WithDefault("7d")
    Duration dedupRetention();

    /** Largest event accepted, in bytes. */
    @WithDefault("131072")
    int maxEventBytes();
  }

  /** The agent tree read from the graph. */
  interface Agents {
    /** Deepest subtree returned. */
    @WithDefault("10")
    int maxTreeDepth();

    /** Most agents returned in one tree. */
    @WithDefault("1000")
    int maxTreeNodes();
  }
}
