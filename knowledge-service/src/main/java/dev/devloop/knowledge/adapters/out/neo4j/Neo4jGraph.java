package dev.devloop.knowledge.adapters.out.neo4j;

import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionCallback;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.DatabaseException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

/**
 * Shared Neo4j access for the graph adapters: bounded transactions, the schema (uniqueness
 * constraints and indexes) created once before first use, and unavailability mapped to 503.
 */
@ApplicationScoped
public class Neo4jGraph {
  static final String STORE = "neo4j";

  /** Vector index over chunk embeddings. */
  public static final String CHUNK_VECTOR_INDEX = "devloop_chunk_embedding";
  /** Full-text index over chunk text and a one-token tenant key (the tenant is matched inside the index query). */
  public static final String CHUNK_TEXT_INDEX = "devloop_chunk_fulltext";
  /** Vector index over entity embeddings (type, id and properties as text). */
  public static final String ENTITY_VECTOR_INDEX = "devloop_entity_embedding";

  /** Every node carries its tenant; the keys below are unique per tenant. */
  private static final List<String> SCHEMA = List.of(
      "CREATE CONSTRAINT devloop_fact_key IF NOT EXISTS FOR (f:Fact) REQUIRE (f.tenant, f.entity, f.attribute) IS UNIQUE",
      "CREATE CONSTRAINT devloop_entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE (e.tenant, e.id) IS UNIQUE",
      "CREATE CONSTRAINT devloop_agent_key IF NOT EXISTS FOR (a:Agent) REQUIRE (a.tenant, a.id) IS UNIQUE",
      "CREATE INDEX devloop_fact_expires IF NOT EXISTS FOR (f:Fact) ON (f.expiresAt)",
      "CREATE INDEX devloop_entity_type IF NOT EXISTS FOR (e:Entity) ON (e.tenant, e.type)",
      "CREATE CONSTRAINT devloop_document_key IF NOT EXISTS FOR (d:Document) REQUIRE (d.tenant, d.id) IS UNIQUE",
      "CREATE INDEX devloop_chunk_tenant IF NOT EXISTS FOR (c:Chunk) ON (c.tenant)",
      "CREATE INDEX devloop_chunk_document IF NOT EXISTS FOR (c:Chunk) ON (c.tenant, c.documentId)",
      "CREATE FULLTEXT INDEX " + CHUNK_TEXT_INDEX + " IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text, c.tenantToken]",
      // the roadmap graph: nodes unique per tenant, a lock node per tenant, the event outbox in write order
      "CREATE CONSTRAINT devloop_roadmap_node_key IF NOT EXISTS FOR (n:RoadmapNode) REQUIRE (n.tenant, n.id) IS UNIQUE",
      "CREATE INDEX devloop_roadmap_node_tenant IF NOT EXISTS FOR (n:RoadmapNode) ON (n.tenant)",
      "CREATE INDEX devloop_roadmap_task_tenant IF NOT EXISTS FOR (n:Task) ON (n.tenant)",
      "CREATE INDEX devloop_roadmap_feature_tenant IF NOT EXISTS FOR (n:Feature) ON (n.tenant)",
      "CREATE CONSTRAINT devloop_roadmap_lock_key IF NOT EXISTS FOR (l:RoadmapLock) REQUIRE l.tenant IS UNIQUE",
      "CREATE CONSTRAINT devloop_roadmap_outbox_key IF NOT EXISTS FOR (o:RoadmapOutbox) REQUIRE o.id IS UNIQUE",
      "CREATE INDEX devloop_roadmap_outbox_order IF NOT EXISTS FOR (o:RoadmapOutbox) ON (o.createdAt)");

  private final Driver driver;
  private final TransactionConfig txConfig;
  private final TransactionConfig longTxConfig;
  private final int vectorDimensions;
  private final AtomicBoolean schemaReady = new AtomicBoolean();

  public Neo4jGraph(Driver driver, KnowledgeConfig config) {
    this.driver = driver;
    this.txConfig = TransactionConfig.builder().withTimeout(config.stores().neo4jTransactionTimeout()).build();
    this.longTxConfig = TransactionConfig.builder().withTimeout(config.stores().neo4jBulkTransactionTimeout()).build();
    this.vectorDimensions = config.embeddings().dimensions();
  }

  /** Creates the schema at startup when Neo4j is up; otherwise the first call does. */
  void onStart(@Observes StartupEvent event) {
    try {
      ensureSchema();
    } catch (TierUnavailableException e) {
      Log.warnf("neo4j schema not created at startup (neo4j unavailable); it will be created on first use");
    }
  }

  /** Runs a write transaction bounded by the bulk timeout (document ingestion). */
  public <T> T writeBulk(TransactionCallback<T> work) {
    ensureSchema();
    return call(() -> {
      try (Session session = driver.session()) {
        return session.executeWrite(work, longTxConfig);
      }
    });
  }

  /** Runs a write transaction. */
  public <T> T write(TransactionCallback<T> work) {
    ensureSchema();
    return call(() -> {
      try (Session session = driver.session()) {
        return session.executeWrite(work, txConfig);
      }
    });
  }

  /** Runs a read transaction. */
  public <T> T read(TransactionCallback<T> work) {
    ensureSchema();
    return call(() -> {
      try (Session session = driver.session()) {
        return session.executeRead(work, txConfig);
      }
    });
  }

  /** Runs one schema statement (index creation, drop, await) in an auto-commit transaction. */
  public void schema(String statement) {
    ensureSchema();
    call(() -> {
      try (Session session = driver.session()) {
        session.run(statement, longTxConfig).consume();
      }
      return null;
    });
  }

  /** Creates constraints and indexes once; retried on the next call while Neo4j is down. */
  public void ensureSchema() {
    if (schemaReady.get()) {
      return;
    }
    call(() -> {
      try (Session session = driver.session()) {
        for (String statement : SCHEMA) {
          session.run(statement, txConfig).consume();
        }
        session.run("CREATE VECTOR INDEX " + CHUNK_VECTOR_INDEX + " IF NOT EXISTS FOR (c:Chunk) ON (c.embedding) "
            + "OPTIONS {indexConfig: {`vector.dimensions`: " + vectorDimensions + ", "
            + "`vector.similarity_function`: 'cosine'}}", txConfig).consume();
        session.run("CREATE VECTOR INDEX " + ENTITY_VECTOR_INDEX + " IF NOT EXISTS FOR (e:Entity) ON (e.embedding) "
            + "OPTIONS {indexConfig: {`vector.dimensions`: " + vectorDimensions + ", "
            + "`vector.similarity_function`: 'cosine'}}", txConfig).consume();
        session.run("CALL db.awaitIndexes($seconds)", Map.of("seconds", 30L)).consume();
      }
      return null;
    });
    schemaReady.set(true);
    Log.debugf("neo4j schema ensured");
  }

  private static <T> T call(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (Neo4jException e) {
      if (unavailable(e)) {
        Log.debugf(e, "neo4j call failed");
        throw new TierUnavailableException(STORE, e);
      }
      throw e;
    }
  }

  private static boolean unavailable(Neo4jException e) {
    return e instanceof ServiceUnavailableException
        || e instanceof SessionExpiredException
        || e instanceof TransientException
        || e instanceof DatabaseException
        || e instanceof AuthenticationException
        || (e.code() != null && e.code().contains("TransactionTimedOut"))
        || (e.getMessage() != null && e.getMessage().contains("Unable to acquire connection"));
  }
}
