package dev.devloop.knowledge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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

    /** Where chunk and query embeddings come from. */
    Embeddings embeddings();

    /** Document ingestion: chunking and bounds. */
    Documents documents();

    /** Chunk search. */
    Search search();

    /** Retrieval-augmented generation. */
    Rag rag();

    /** The Redis read cache of hot reads. */
    Cache cache();

    /** The roadmap graph: bounds and the event outbox relay. */
    Roadmap roadmap();

    /** The roadmap graph: bounds and the event outbox relay. */
    interface Roadmap {
        /** Nodes listed when the request names no limit. */
        @WithDefault("100")
        int defaultListLimit();

        /** Most nodes one list returns. */
        @WithDefault("1000")
        int maxListLimit();

        /** Most child ids returned with one node. */
        @WithDefault("500")
        int maxChildren();

        /** Most dependencies one node declares (and returns). */
        @WithDefault("500")
        int maxDependencies();

        /** Most nodes of one tree answer (more → {@code truncated: true}). */
        @WithDefault("2000")
        int maxTreeNodes();

        /** Most features or tasks one order or critical path is computed over (more → 422). */
        @WithDefault("50000")
        int maxViewNodes();

        /** Ready items returned when the request names no limit. */
        @WithDefault("100")
        int defaultReadyLimit();

        /** Most ready items one request returns. */
        @WithDefault("1000")
        int maxReadyLimit();

        /** Most nodes in one import. */
        @WithDefault("20000")
        int maxImportNodes();

        /** Largest import body, in bytes (more → 413). */
        @WithDefault("8388608")
        int maxImportBytes();

        /** Most dependency edges of a tenant loaded to check an import for cycles (more → 422). */
        @WithDefault("200000")
        int maxImportEdges();

        /** Most nodes one cascading delete removes (more → 422). */
        @WithDefault("20000")
        int maxCascade();

        /** Longest dependency chain searched when checking a new edge for a cycle. */
        @WithDefault("10000")
        int maxDependencyDepth();

        /** Largest metadata object, in bytes of JSON. */
        @WithDefault("16384")
        int maxMetadataBytes();

        /** Most entries of {@code links.commits} and of {@code links.runs}. */
        @WithDefault("500")
        int maxLinkItems();

        /** Prefix of the events topic ({@code DEVLOOP_TOPIC_PREFIX}, for isolated test stacks); none by default. */
        Optional<String> topicPrefix();

        /** How often the outbox is relayed to Kafka (a Quarkus scheduler interval). */
        @WithDefault("1s")
        String relayEvery();

        /** Events read from the outbox per batch. */
        @WithDefault("500")
        int relayBatchSize();

        /** Batches per relay run; the rest waits for the next run. */
        @WithDefault("10")
        int relayMaxBatches();

        /** How long a batch waits for Kafka's acknowledgements; unacknowledged events stay in the outbox. */
        @WithDefault("30s")
        Duration relayAckTimeout();
    }

    /** The Redis read cache of hot reads. */
    interface Cache {
        /** Off: every read goes to the stores and writes publish no invalidations. */
        @WithDefault("true")
        boolean enabled();

        /** Longest life of a cached read (a cached fact also never outlives its own expiry). */
        @WithDefault("5m")
        Duration ttl();

        /** Largest cached entry, in bytes of JSON; larger results are served but not cached. */
        @WithDefault("262144")
        int maxEntryBytes();

        /** How long a region generation is kept after its last bump (must exceed the TTL). */
        @WithDefault("7d")
        Duration generationRetention();

        /** How long applied invalidation ids are remembered (redeliveries within it bump nothing). */
        @WithDefault("1d")
        Duration dedupRetention();

        /** The in-process (per-replica) level in front of Redis. */
        Local local();

        /** The in-process (per-replica) level in front of Redis: every hit is validated against Redis' stamps. */
        interface Local {
            /** Off: every lookup goes to Redis. */
            @WithDefault("true")
            boolean enabled();

            /** Most entries held per replica. */
            @WithDefault("5000")
            int maxEntries();

            /** Most bytes (of the entries' JSON) held per replica. */
            @WithDefault("33554432")
            long maxBytes();

            /** Longest life of an entry in this level. */
            @WithDefault("10s")
            Duration ttl();
        }
    }

    /** Where chunk and query embeddings come from. */
    interface Embeddings {
        /** {@code local} (in-process all-MiniLM-L6-v2) or {@code gateway} (provider-gateway {@code /v1/embeddings}). */
        @WithDefault("local")
        String provider();

        /**
         * Read when the application is <b>built</b> (it selects beans): {@code false} leaves the in-process model out of
         * the build, as the native profile does ({@code RemoteEmbeddingsWiring}). Listed here so the key is known.
         */
        @WithDefault("true")
        boolean inProcess();

        /** Model asked of provider-gateway; empty takes the gateway's default. */
        Optional<String> model();

        /** Vector length; the Neo4j vector index is created with it (all-MiniLM-L6-v2: 384). */
        @WithDefault("384")
        int dimensions();

        /** Most texts embedded in one call (local model batch or one gateway request). */
        @WithDefault("32")
        int maxBatchSize();

        /**
         * Intra-op threads of the in-process model's ONNX session (1..64). They sleep when idle (no spinning), so 2 on a
         * 2-core pod costs nothing between calls.
         */
        @WithDefault("2")
        int localThreads();

        /**
         * Texts run through the in-process model as one padded tensor (1..max-batch-size). 1 (stop 32): a document's
         * chunks one run each; padded pairs were as fast for 2-chunk documents and 1.8–2.1× slower for 7-chunk ones.
         */
        @WithDefault("1")
        int localInferenceBatch();

        /**
         * The in-process model: {@code all-minilm-l6-v2-q} (int8, 1.9× as fast; the default since stop 35) or
         * {@code all-minilm-l6-v2} (fp32, the native build's through provider-gateway). Vectors of the two are not
         * comparable: every stored vector carries its model id, searches compare only the running model's, and the
         * re-embed job converts the others (README "Quantised model").
         */
        @WithDefault("all-minilm-l6-v2-q")
        String localModel();

        /** The re-embed job: stored vectors of another model than the running one get the running model's. */
        Reembed reembed();

        /** {@code devloop.knowledge.embeddings.reembed.*}. */
        interface Reembed {
            /** Whether the job runs (the {@code %test} profile turns it off; its own test calls it directly). */
            @WithDefault("true")
            boolean enabled();

            /** Most chunks and entities re-embedded per run (chunks first). */
            @WithDefault("200")
            int batchSize();

            /** How often it runs (a Quarkus scheduler interval); the first run is one interval after the start. */
            @WithDefault("30s")
            String interval();
        }
    }

    /** Document ingestion: chunking and bounds. */
    interface Documents {
        /** Longest chunk, in characters. */
        @WithDefault("800")
        int chunkSize();

        /** Characters of the previous chunk repeated at the start of the next. */
        @WithDefault("100")
        int chunkOverlap();

        /** Largest document text, in UTF-8 bytes (larger → 413). */
        @WithDefault("1048576")
        int maxBytes();

        /** Most chunks per document (more → 413). */
        @WithDefault("4000")
        int maxChunks();

        /** Longest document id, in characters. */
        @WithDefault("256")
        int maxIdLength();

        /** Longest title, in characters. */
        @WithDefault("512")
        int maxTitleLength();

        /** Most metadata entries (and search filters). */
        @WithDefault("32")
        int maxMetadataEntries();

        /** Longest metadata string value, in characters. */
        @WithDefault("1024")
        int maxMetadataValueLength();

        /** Most documents in one batch ingest ({@code POST /documents/batch}; more → 413). */
        @WithDefault("100")
        int batchMaxDocuments();

        /** Most UTF-8 bytes of text in one batch, all documents together (more → 413). */
        @WithDefault("4194304")
        long batchMaxBytes();

        /**
         * Most chunks one batch splits into, all documents together (more → 413): bounds the batch's one Neo4j
         * transaction like {@link #maxChunks()} bounds a single document's.
         */
        @WithDefault("4000")
        int batchMaxChunks();
    }

    /** Chunk search. */
    interface Search {
        /**
         * Threads that run a hybrid search's keyword query while the request thread embeds the query and runs the
         * vector query (0 = one after the other on the request thread). Their queue holds at most 64 waiting queries;
         * beyond that the request thread runs its own keyword query.
         */
        @WithDefault("2")
        int keywordThreads();

        /**
         * Run a hybrid search's keyword query through the Neo4j async driver instead of a {@link #keywordThreads()} pool
         * thread (no thread of ours waits for it; {@code keyword-threads} is then unused).
         */
        @WithDefault("false")
        boolean keywordAsync();

        /**
         * Answer a hybrid search of a small tenant (below {@code exact-scan-below} chunks) in one Neo4j statement: the
         * query is embedded first, then the exact vector scan and the full-text query run in one round trip. Larger
         * tenants (own or shared vector index) keep the keyword query overlapping the embedding. False: every hybrid
         * search overlaps them.
         */
        @WithDefault("true")
        boolean hybridOneStatement();

        /** Hits returned when the request names no limit. */
        @WithDefault("5")
        int defaultLimit();

        /** Most hits one search returns. */
        @WithDefault("50")
        int maxLimit();

        /** Longest query, in characters. */
        @WithDefault("1000")
        int maxQueryLength();

        /** Hybrid search takes {@code limit × this} candidates from each index before fusing. */
        @WithDefault("4")
        int hybridCandidateFactor();

        /** Cap on the candidates hybrid search takes from each index. */
        @WithDefault("200")
        int maxCandidates();

        /** Index candidates per wanted hit when results are filtered after the index call (other tenants, filters). */
        @WithDefault("10")
        int overFetchFactor();

        /** Cap on candidates asked of an index. */
        @WithDefault("1000")
        int maxIndexCandidates();

        /** Most of a tenant's chunks scored exactly when the vector index leaves too few hits. */
        @WithDefault("20000")
        int exactScanMaxChunks();

        /**
         * Tenants with fewer vectors than this (chunks, or embedded entities) are searched by an exact cosine scan of
         * their own vectors; from this count on they get a vector index of their own (see {@link #maxTenantIndexes()}).
         */
        @WithDefault("1000")
        int exactScanBelow();

        /**
         * Most per-tenant vector indexes per kind (chunks, entities) in the database. A tenant above
         * {@link #exactScanBelow()} when the cap is reached is searched through the shared index (over-fetch, widen,
         * then a bounded exact scan).
         */
        @WithDefault("64")
        int maxTenantIndexes();

        /** How long the write that creates a tenant's vector index waits for it to come ONLINE. */
        @WithDefault("10s")
        Duration tenantIndexWait();

        /** Typed entities relabelled per transaction by the startup migration. */
        @WithDefault("2000")
        int migrationBatchSize();

        /** Default weight of the vector score in weighted hybrid fusion. */
        @WithDefault("0.7")
        double vectorWeight();

        /** Default weight of the keyword score in weighted hybrid fusion. */
        @WithDefault("0.3")
        double keywordWeight();
    }

    /** Retrieval-augmented generation. */
    interface Rag {
        /** Longest question, in characters. */
        @WithDefault("2000")
        int maxQuestionLength();

        /** Chunks retrieved when the request names no limit. */
        @WithDefault("5")
        int defaultLimit();

        /** Most chunks retrieved. */
        @WithDefault("20")
        int maxLimit();

        /** Context budget in tokens (estimated as characters / 4). */
        @WithDefault("2000")
        int contextTokens();

        /** Most tokens of the generated answer. */
        @WithDefault("1024")
        int maxAnswerTokens();
    }

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

        /** Similar entities / semantic search hits returned when the request names no limit. */
        @WithDefault("5")
        int defaultSimilarLimit();

        /** Most similar entities / semantic search hits one request returns. */
        @WithDefault("50")
        int maxSimilarLimit();

        /** Most property filters in one entity search. */
        @WithDefault("16")
        int maxPropertyFilters();

        /** Most values of one {@code in} filter. */
        @WithDefault("100")
        int maxFilterValues();
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

        /** Timeout of a Neo4j transaction writing or deleting a whole document with its chunks. */
        @WithDefault("60s")
        Duration neo4jBulkTransactionTimeout();

        /**
         * Documents (single and batch) are written by one auto-commit statement on the async driver, answered once it
         * has committed (stop 39: one round trip, RUN and PULL pipelined, instead of BEGIN, RUN, PULL and COMMIT),
         * retried on a transient failure like a managed transaction. {@code false}: the managed write transaction as before stop 39.
         */
        @WithDefault("true")
        boolean neo4jDocumentWriteAutoCommit();

        /** Timeout of each readiness check. */
        @WithDefault("3s")
        Duration healthTimeout();

        /** How long a start waits for another instance's migration lock (Neo4j and MongoDB) before it gives up, not ready. */
        @WithDefault("120s")
        Duration migrationLockWait();

        /** Pause between migration attempts while a store is unreachable at start. */
        @WithDefault("10s")
        Duration migrationRetry();
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

        /**
         * At shutdown, how long the consumers' in-flight events may take to finish before the stores close (events
         * arriving after the start of shutdown are not started; they stay uncommitted and are redelivered).
         */
        @WithDefault("10s")
        Duration shutdownGrace();

        /** How long processed event ids are remembered for de-duplication. */
        @WithDefault("7d")
        Duration dedupRetention();

        /** Largest event accepted, in bytes. */
        @WithDefault("131072")
        int maxEventBytes();

        /** Largest forge event accepted, in bytes (a GitHub push payload carries up to 2 048 commits). */
        @WithDefault("1048576")
        int maxForgeEventBytes();
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
