package dev.devloop.knowledge.adapters.out.neo4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;
import org.neo4j.driver.types.MapAccessor;

/**
 * Documents and chunks in Neo4j:
 * {@code (:Document {tenant, id, title, contentType, chunkCount, characters, metadata, updatedAt, contentHash})
 * -[:HAS_CHUNK]->(:Chunk:TenantChunk_<h> {tenant, documentId, index, text, embedding, m_<key>...})}. Document metadata is
 * kept as JSON text on the document and copied, entry by entry, onto each chunk as {@code m_<key>} so
 * filters are plain property comparisons. Each chunk also carries its tenant label ({@code TenantChunk_<h>}), and
 * vector search is routed per tenant by {@link Neo4jTenantVectors}: exact scan, the tenant's own index, or the
 * shared index with over-fetch and a bounded exact scan. Keyword search requires the chunk's {@code tenantToken} ({@code tk} + SHA-256 hex of the tenant,
 * one analyzer token, so no tenant can match another's) inside the full-text query, then re-checks the tenant.
 */
@ApplicationScoped
public class Neo4jDocumentStore implements DocumentStorePort {
    static final String META_PREFIX = "m_";
    private static final String FILTER = "all(k IN keys($filters) WHERE c['" + META_PREFIX + "' + k] = $filters[k])";
    /**
     * Every vector route's filter: only chunks of the running model's vector space ({@code $model}), then the metadata
     * filters. The keyword side keeps {@link #FILTER} alone, so a chunk still waiting for its re-embedding is found by
     * its words meanwhile.
     */
    private static final String VECTOR_FILTER = "c." + Neo4jTenantVectors.MODEL_PROPERTY + " = $model AND " + FILTER;

    private static final String HIT_FIELDS = "c.documentId AS documentId, c.index AS chunkIndex, c.text AS text, "
            + "score, d.title AS title, d.metadata AS metadata";
    /**
     * The exact cosine scan of a tenant's chunks, best {@code $limit} first; each hit's document is read only for
     * those (reading it for every scanned chunk before the sort took 4.5 against 3.9 ms p50 at 100 chunks).
     */
    private static final String EXACT_SCAN = "MATCH (c:Chunk {tenant: $tenant}) WHERE " + VECTOR_FILTER
            + " WITH c LIMIT $maxScan "
            + "WITH c, vector.similarity.cosine(c.embedding, $vector) AS score "
            + "ORDER BY score DESC, c.documentId, c.index LIMIT $limit "
            + "MATCH (d:Document {tenant: $tenant, id: c.documentId}) "
            + "RETURN " + HIT_FIELDS;

    /** The full-text query's rows: the tenant required inside Lucene, then re-checked with the filters. */
    private static final String KEYWORD_ROWS = "CALL db.index.fulltext.queryNodes('" + Neo4jGraph.CHUNK_TEXT_INDEX
            + "', $query, {limit: $candidates}) YIELD node AS c, score WHERE c.tenant = $tenant AND " + FILTER + " "
            + "MATCH (d:Document {tenant: $tenant, id: c.documentId}) ";

    /** The full-text query, best {@code $limit} first. */
    private static final String KEYWORD =
            KEYWORD_ROWS + "RETURN " + HIT_FIELDS + " ORDER BY score DESC, documentId, chunkIndex LIMIT $limit";

    /** A hit as a map, for the lists {@link #hybrid} collects. */
    private static final String HIT_MAP = "{documentId: c.documentId, chunkIndex: c.index, text: c.text, score: score, "
            + "title: d.title, metadata: d.metadata}";

    /** Best first, ties by document and chunk: the order of the single statements' {@code ORDER BY}. */
    private static final Comparator<ScoredChunk> BEST_FIRST = Comparator.comparingDouble(ScoredChunk::score)
            .reversed()
            .thenComparing(ScoredChunk::documentId)
            .thenComparingInt(ScoredChunk::chunkIndex);

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Neo4jGraph graph;
    private final ObjectMapper json;
    private final KnowledgeConfig.Search search;
    private final Neo4jTenantVectors vectors;
    private final boolean autoCommitWrite;

    public Neo4jDocumentStore(Neo4jGraph graph, ObjectMapper json, KnowledgeConfig config, Neo4jTenantVectors vectors) {
        this.graph = graph;
        this.json = json;
        this.search = config.search();
        this.vectors = vectors;
        this.autoCommitWrite = config.stores().neo4jDocumentWriteAutoCommit();
    }

    /**
     * One statement in one write transaction for the whole batch: per document (UNWIND) drop its old chunks, merge it
     * and create its chunks; then the tenant's chunk count from the label's count store, which spares afterWrite a
     * round trip of its own when the tenant is below the exact-scan threshold. The tenant's shared-route marker is read
     * first: only a tenant routed to the shared index gets its chunks labelled {@code SharedChunk} (the shared vector
     * index's label); every other write pays no shared HNSW insert. Neo4j updates the full-text and vector
     * indexes once per transaction, which is what a single-document ingest paid per document. Since stop 39 the
     * statement runs as one auto-commit transaction ({@link Neo4jGraph#writeOnce}; it is idempotent: it replaces the
     * documents) and returns after its commit, so the documents are searchable when it returns, as before.
     */
    @Override
    public void replaceAll(String tenant, List<IngestedDocument> documents) {
        replaceAll(tenant, documents, autoCommitWrite);
    }

    /** {@link #replaceAll(String, List)} with the write as one auto-commit statement or as a managed transaction. */
    void replaceAll(String tenant, List<IngestedDocument> documents, boolean autoCommit) {
        if (documents.isEmpty()) {
            return;
        }
        Map<String, Object> p = replaceAllParameters(tenant, documents);
        int chunkCount = documents.stream().mapToInt(d -> d.chunks().size()).sum();
        Record written = autoCommit
                ? single(graph.writeOnce(REPLACE_ALL, p, r -> r))
                : graph.writeBulk(tx -> tx.run(REPLACE_ALL, p).single());
        if (chunkCount == 0) {
            vectors.afterDelete(Neo4jTenantVectors.Kind.CHUNK, tenant);
        } else {
            vectors.afterWrite(
                    Neo4jTenantVectors.Kind.CHUNK,
                    tenant,
                    written.get("n").asLong(),
                    written.get("shared").asBoolean());
        }
    }

    /** {@link #REPLACE_ALL}'s parameters for {@code documents}, all of {@code tenant}. */
    Map<String, Object> replaceAllParameters(String tenant, List<IngestedDocument> documents) {
        List<Map<String, Object>> docs = new ArrayList<>(documents.size());
        for (IngestedDocument ingested : documents) {
            Document document = ingested.document();
            if (!document.tenant().equals(tenant)) {
                throw new IllegalArgumentException("a document of another tenant in the batch");
            }
            docs.add(row(ingested));
        }
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("tenantToken", tenantToken(tenant));
        p.put("docs", docs);
        p.put("model", vectors.model());
        p.put("chunkLabel", Neo4jTenantVectors.labelParameter(Neo4jTenantVectors.Kind.CHUNK, tenant));
        p.put("exactBelow", vectors.settings().exactScanBelow());
        return p;
    }

    private static Record single(List<Record> rows) {
        if (rows.size() != 1) {
            throw new IllegalStateException("the document write returned " + rows.size() + " rows, not 1");
        }
        return rows.get(0);
    }

    /**
     * {@link #replaceAll}'s statement, one text for every tenant. It writes the document first, which locks it, and
     * only then reads and deletes its old chunks (stop 39): two writes of one document are serialised by that lock
     * and the second deletes the chunks the first committed (reading them before the lock let two racing writes each
     * keep their own chunks). The chunk's tenant label is a dynamic label
     * ({@code $chunkLabel}, checked by {@link Neo4jTenantVectors#labelParameter}) and the count after the write is
     * {@link Neo4jTenantVectors#BOUNDED_CHUNK_COUNT} (it sees the transaction's own chunks).
     */
    static final String REPLACE_ALL = Neo4jTenantVectors.readShared(Neo4jTenantVectors.Kind.CHUNK, "")
            + "UNWIND $docs AS doc "
            + "MERGE (d:Document {tenant: $tenant, id: doc.id}) SET d.title = doc.title, "
            + "d.contentType = doc.contentType, d.chunkCount = doc.chunkCount, "
            + "d.characters = doc.characters, d.metadata = doc.metadata, d.updatedAt = doc.updatedAt, "
            + "d.contentHash = doc.contentHash "
            + "WITH d, doc, shared "
            + "CALL (doc) { MATCH (old:Chunk {tenant: $tenant, documentId: doc.id}) DETACH DELETE old } "
            + "CALL (d, doc, shared) { UNWIND doc.chunks AS row "
            + "CREATE (d)-[:HAS_CHUNK]->(c:Chunk:$($chunkLabel) "
            + "{tenant: $tenant, documentId: doc.id, index: row.index, text: row.text, tenantToken: $tenantToken}) "
            + "SET c += doc.meta, c.embedding = row.embedding, c." + Neo4jTenantVectors.MODEL_PROPERTY + " = $model "
            + Neo4jTenantVectors.labelIfShared(Neo4jTenantVectors.Kind.CHUNK, "c") + "} "
            + "WITH shared, count(*) AS written "
            + "CALL () { " + Neo4jTenantVectors.BOUNDED_CHUNK_COUNT + "RETURN n } RETURN n, shared";

    private Map<String, Object> row(IngestedDocument ingested) {
        Document document = ingested.document();
        Map<String, Object> meta = new HashMap<>();
        document.metadata().forEach((k, v) -> meta.put(META_PREFIX + k, v));
        List<Map<String, Object>> chunks = new ArrayList<>(ingested.chunks().size());
        for (DocumentChunk chunk : ingested.chunks()) {
            List<Double> vector = new ArrayList<>(chunk.embedding().length);
            for (float f : chunk.embedding()) {
                vector.add((double) f);
            }
            chunks.add(Map.of("index", chunk.index(), "text", chunk.text(), "embedding", vector));
        }
        Map<String, Object> row = new HashMap<>();
        row.put("id", document.id());
        row.put("title", document.title());
        row.put("contentType", document.contentType());
        row.put("chunkCount", document.chunkCount());
        row.put("characters", document.characters());
        row.put("metadata", write(document.metadata()));
        row.put("updatedAt", document.updatedAt().toEpochMilli());
        row.put("contentHash", ingested.contentHash());
        row.put("meta", meta);
        row.put("chunks", chunks);
        return row;
    }

    private static final String CONTENT_HASHES = "UNWIND $ids AS id MATCH (d:Document {tenant: $tenant, id: id}) "
            + "RETURN d.id AS id, coalesce(d.contentHash, '') AS hash";

    @Override
    public Map<String, String> contentHashes(String tenant, List<String> ids) {
        Map<String, String> hashes = new HashMap<>();
        graph.query(
                CONTENT_HASHES,
                Map.of("tenant", tenant, "ids", ids),
                r -> hashes.put(r.get("id").asString(), r.get("hash").asString()));
        return hashes;
    }

    /** {@link #contentHashes} on the async driver (one auto-commit round trip, no thread of ours waiting). */
    @Override
    public CompletableFuture<Map<String, String>> contentHashesAsync(String tenant, List<String> ids) {
        return graph.queryAsync(
                        CONTENT_HASHES,
                        Map.of("tenant", tenant, "ids", ids),
                        r -> Map.entry(r.get("id").asString(), r.get("hash").asString()))
                .thenApply(rows -> {
                    Map<String, String> hashes = new HashMap<>();
                    rows.forEach(e -> hashes.put(e.getKey(), e.getValue()));
                    return hashes;
                });
    }

    @Override
    public Optional<Document> find(String tenant, String id) {
        Map<String, Object> p = Map.of("tenant", tenant, "id", id);
        List<Record> rows = graph.read(tx -> tx.run(
                        "MATCH (d:Document {tenant: $tenant, id: $id}) RETURN d.id AS id, "
                                + "d.title AS title, d.contentType AS contentType, d.chunkCount AS chunkCount, d.characters AS characters, "
                                + "d.metadata AS metadata, d.updatedAt AS updatedAt",
                        p)
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Record r = rows.get(0);
        return Optional.of(new Document(
                tenant,
                r.get("id").asString(),
                r.get("title").asString(),
                r.get("contentType").asString(),
                read(r.get("metadata").asString()),
                r.get("chunkCount").asInt(),
                r.get("characters").asLong(),
                Instant.ofEpochMilli(r.get("updatedAt").asLong())));
    }

    @Override
    public boolean delete(String tenant, String id) {
        Map<String, Object> p = Map.of("tenant", tenant, "id", id);
        boolean deleted = graph.writeBulk(tx -> {
            tx.run("MATCH (c:Chunk {tenant: $tenant, documentId: $id}) DETACH DELETE c", p)
                    .consume();
            return tx.run("MATCH (d:Document {tenant: $tenant, id: $id}) DETACH DELETE d RETURN count(*) AS n", p)
                            .single()
                            .get("n")
                            .asLong()
                    > 0;
        });
        vectors.afterDelete(Neo4jTenantVectors.Kind.CHUNK, tenant);
        return deleted;
    }

    /**
     * Routed by {@link Neo4jTenantVectors}: a small tenant's chunks are scanned exactly; a large tenant's are
     * searched in its own vector index (only its vectors, so nobody else can crowd them out), or exactly while it is
     * populating; a large tenant without one (cap reached) goes through the shared index, merged with an exact scan of
     * its chunks not labelled for it (see {@link Neo4jTenantVectors}). An index asked for
     * {@code limit × over-fetch-factor} candidates that leaves fewer than {@code limit} hits is widened
     * once to the cap, then the tenant's chunks are scanned exactly (at most {@code exact-scan-max-chunks}).
     */
    @Override
    public List<ScoredChunk> nearest(String tenant, float[] vector, int limit, Map<String, Object> filters) {
        Map<String, Object> p = vectorParameters(tenant, vector, limit, filters);
        if (!vectors.seenLarge(Neo4jTenantVectors.Kind.CHUNK, tenant)) {
            Optional<List<ScoredChunk>> small = guardedExact(tenant, p);
            if (small.isPresent()) {
                return small.get();
            }
        }
        return routed(tenant, limit, filters, p);
    }

    /** The routed vector search in a read transaction: the tenant's count, then exact scan, own or shared index. */
    private List<ScoredChunk> routed(String tenant, int limit, Map<String, Object> filters, Map<String, Object> p) {
        try {
            return graph.read(tx -> nearest(tx, tenant, limit, filters, p));
        } catch (RuntimeException e) {
            if (!vectors.aboutIndex(e, Neo4jTenantVectors.Kind.CHUNK, tenant)) {
                throw e;
            }
            // the tenant's index was dropped or rebuilt since this replica saw it ONLINE: ask again
            vectors.forget(Neo4jTenantVectors.Kind.CHUNK, tenant);
            return graph.read(tx -> nearest(tx, tenant, limit, filters, p));
        }
    }

    private Map<String, Object> vectorParameters(
            String tenant, float[] vector, int limit, Map<String, Object> filters) {
        List<Double> v = new ArrayList<>(vector.length);
        for (float f : vector) {
            v.add((double) f);
        }
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("vector", v);
        p.put("filters", filters);
        p.put("limit", limit);
        p.put("maxScan", search.exactScanMaxChunks());
        p.put("model", vectors.model());
        return p;
    }

    /** A tenant this replica has not seen at or above the exact-scan threshold: {@link #hybrid} is one statement. */
    @Override
    public boolean hybridInOne(String tenant) {
        return !vectors.seenLarge(Neo4jTenantVectors.Kind.CHUNK, tenant);
    }

    /**
     * Both sides of a hybrid search in one auto-commit statement (one Bolt round trip where {@link #nearest} and
     * {@link #keyword} take one each): the tenant-label count, the exact scan when the count is below the exact-scan
     * threshold, and the full-text query, each list collected in its own subquery. A tenant at or above the threshold
     * (or one this replica has seen there) keeps the statement's keyword hits and routes its vector search as
     * {@link #nearest} does. Same statements as the single calls, so the same hits.
     */
    @Override
    public HybridCandidates hybrid(
            String tenant, float[] vector, String query, int limit, Map<String, Object> filters) {
        Map<String, Object> keyword = keywordParameters(tenant, query, limit, filters);
        if (keyword == null || !hybridInOne(tenant)) {
            List<ScoredChunk> keywordHits = keyword == null ? List.of() : graph.query(KEYWORD, keyword, this::hit);
            return new HybridCandidates(nearest(tenant, vector, limit, filters), keywordHits);
        }
        Map<String, Object> p = vectorParameters(tenant, vector, limit, filters);
        p.put("exactBelow", vectors.settings().exactScanBelow());
        p.put("query", keyword.get("query"));
        p.put("candidates", keyword.get("candidates"));
        List<HybridCandidates> found = new ArrayList<>(1);
        long[] count = {-1};
        graph.query(HYBRID, p, r -> {
            count[0] = r.get("n").asLong();
            found.add(new HybridCandidates(hits(r.get("vectorHits")), hits(r.get("keywordHits"))));
            return r;
        });
        if (found.size() != 1) {
            throw new IllegalStateException("the hybrid statement returned " + found.size() + " rows");
        }
        if (count[0] >= vectors.settings().exactScanBelow()) {
            // a large tenant: its vector side goes through its own or the shared index, as nearest() routes it
            return new HybridCandidates(
                    routed(tenant, limit, filters, p), found.get(0).keyword());
        }
        vectors.searched(Neo4jTenantVectors.Kind.CHUNK, Neo4jTenantVectors.Route.EXACT, false);
        return found.get(0);
    }

    /**
     * {@link #hybrid}'s one statement, one text for every tenant: the bounded chunk count
     * ({@link Neo4jTenantVectors#BOUNDED_CHUNK_COUNT}), the exact scan below the threshold, the full-text query.
     */
    static final String HYBRID = Neo4jTenantVectors.BOUNDED_CHUNK_COUNT
            + "CALL (n) { WITH n WHERE n < $exactBelow MATCH (c:Chunk {tenant: $tenant}) WHERE " + VECTOR_FILTER
            + " WITH c LIMIT $maxScan "
            + "WITH c, vector.similarity.cosine(c.embedding, $vector) AS score "
            + "ORDER BY score DESC, c.documentId, c.index LIMIT $limit "
            + "MATCH (d:Document {tenant: $tenant, id: c.documentId}) "
            + "RETURN collect(" + HIT_MAP + ") AS vectorHits } "
            + "CALL () { " + KEYWORD_ROWS + "WITH c, d, score ORDER BY score DESC, c.documentId, c.index "
            + "LIMIT $limit RETURN collect(" + HIT_MAP + ") AS keywordHits } "
            + "RETURN n, vectorHits, keywordHits";

    /**
     * {@link #guardedExact}'s statement, one text for every tenant: the bounded chunk count and, below the threshold,
     * the exact scan.
     */
    static final String GUARDED_EXACT = Neo4jTenantVectors.BOUNDED_CHUNK_COUNT
            + "OPTIONAL CALL (n) { WITH n WHERE n < $exactBelow " + EXACT_SCAN + " } "
            + "RETURN n, documentId, chunkIndex, text, score, title, metadata "
            + "ORDER BY score DESC, documentId, chunkIndex";

    private List<ScoredChunk> hits(Value list) {
        List<ScoredChunk> hits = new ArrayList<>(list.size());
        for (Value v : list.values()) {
            hits.add(hit(v));
        }
        hits.sort(BEST_FIRST);
        return hits;
    }

    /**
     * A small tenant's search in one auto-commit round trip (the routed path takes four: BEGIN, the count, the scan,
     * COMMIT): the label count and, when it is below the exact-scan threshold, the exact scan, in one statement. Empty
     * when the tenant is at or above the threshold (then the caller routes). The statement always returns a row with
     * the count, and hit columns that are null when there is no hit.
     */
    private Optional<List<ScoredChunk>> guardedExact(String tenant, Map<String, Object> p) {
        p.put("exactBelow", vectors.settings().exactScanBelow());
        long[] count = {-1};
        List<ScoredChunk> hits = new ArrayList<>();
        graph.query(GUARDED_EXACT, p, r -> {
            count[0] = r.get("n").asLong();
            if (!r.get("documentId").isNull()) {
                hits.add(hit(r));
            }
            return r;
        });
        if (count[0] < 0 || count[0] >= vectors.settings().exactScanBelow()) {
            return Optional.empty();
        }
        vectors.searched(Neo4jTenantVectors.Kind.CHUNK, Neo4jTenantVectors.Route.EXACT, false);
        return Optional.of(hits);
    }

    private List<ScoredChunk> nearest(
            TransactionContext tx, String tenant, int limit, Map<String, Object> filters, Map<String, Object> p) {
        Neo4jTenantVectors.Route route = vectors.route(tx, Neo4jTenantVectors.Kind.CHUNK, tenant);
        String exact = EXACT_SCAN + " ORDER BY score DESC, documentId, chunkIndex";
        if (route == Neo4jTenantVectors.Route.EXACT) {
            vectors.searched(Neo4jTenantVectors.Kind.CHUNK, route, false);
            return tx.run(exact, p).list(this::hit);
        }
        String index = route == Neo4jTenantVectors.Route.TENANT_INDEX
                ? Neo4jTenantVectors.indexName(Neo4jTenantVectors.Kind.CHUNK, tenant)
                : Neo4jGraph.CHUNK_VECTOR_INDEX;
        // even the own index (only the tenant's chunks) is asked for limit × over-fetch candidates: the candidate count
        // is also the HNSW search breadth, and k = limit alone measured recall@10 0.47 at 10k chunks against 0.9 at 10
        // × k
        int candidates = Math.min(search.maxIndexCandidates(), limit * search.overFetchFactor());
        p.put("candidates", candidates);
        // the index name is a procedure argument: one statement text for the shared index and every tenant's own
        p.put("index", index);
        String indexQuery = "CALL db.index.vector.queryNodes($index, $candidates, $vector) "
                + "YIELD node AS c, score WHERE c.tenant = $tenant AND " + VECTOR_FILTER + " "
                + "MATCH (d:Document {tenant: $tenant, id: c.documentId}) "
                + "RETURN " + HIT_FIELDS + " ORDER BY score DESC, documentId, chunkIndex LIMIT $limit";
        List<ScoredChunk> hits = tx.run(indexQuery, p).list(this::hit);
        if (hits.size() < limit && candidates < search.maxIndexCandidates()) {
            p.put("candidates", search.maxIndexCandidates());
            hits = tx.run(indexQuery, p).list(this::hit);
        }
        if (route == Neo4jTenantVectors.Route.SHARED) {
            // the tenant's chunks not in the shared index (a write that raced its routing, or older): scanned exactly
            List<ScoredChunk> unlabelled = tx.run(
                            Neo4jTenantVectors.unlabelled(Neo4jTenantVectors.Kind.CHUNK, tenant, "c")
                                    + "AND c.tenant = $tenant AND " + VECTOR_FILTER + " WITH c LIMIT $maxScan "
                                    + "WITH c, vector.similarity.cosine(c.embedding, $vector) AS score "
                                    + "ORDER BY score DESC, c.documentId, c.index LIMIT $limit "
                                    + "MATCH (d:Document {tenant: $tenant, id: c.documentId}) RETURN " + HIT_FIELDS,
                            p)
                    .list(this::hit);
            if (!unlabelled.isEmpty()) {
                List<ScoredChunk> merged = new ArrayList<>(hits);
                merged.addAll(unlabelled);
                merged.sort(BEST_FIRST);
                hits = merged.subList(0, Math.min(limit, merged.size()));
            }
        }
        if (hits.size() >= limit) {
            vectors.searched(Neo4jTenantVectors.Kind.CHUNK, route, false);
            return hits;
        }
        vectors.searched(Neo4jTenantVectors.Kind.CHUNK, route, true);
        return tx.run(exact, p).list(this::hit);
    }

    /** Chunks whose vector is not of {@code $model}: untagged or of another model. */
    private static final String STALE = "(c." + Neo4jTenantVectors.MODEL_PROPERTY + " IS NULL OR c."
            + Neo4jTenantVectors.MODEL_PROPERTY + " <> $model) AND (size($tenants) = 0 OR c.tenant IN $tenants)";

    /**
     * A label scan of the chunks (one statement per run of the re-embed job): the first {@code limit} stale ones by
     * tenant, document and index (a top-k sort), so a tenant is converted whole before the next and a document's chunks
     * together.
     */
    @Override
    public List<StaleChunk> staleChunks(List<String> tenants, int limit) {
        return graph.query(
                "MATCH (c:Chunk) WHERE c.embedding IS NOT NULL AND " + STALE
                        + " RETURN c.tenant AS tenant, c.documentId AS documentId, c.index AS chunkIndex, c.text AS text "
                        + "ORDER BY tenant, documentId, chunkIndex LIMIT $limit",
                Map.of("model", vectors.model(), "limit", limit, "tenants", tenants),
                r -> new StaleChunk(
                        r.get("tenant").asString(),
                        r.get("documentId").asString(),
                        r.get("chunkIndex").asInt(),
                        r.get("text").asString()));
    }

    /**
     * One write transaction: each chunk matched by tenant, document and index, written only while its text is the one
     * embedded and its vector still not of the running model, in the statement that tags it with the model.
     */
    @Override
    public int reembedded(List<StaleChunk> chunks, List<float[]> embeddings) {
        if (chunks.size() != embeddings.size()) {
            throw new IllegalArgumentException(chunks.size() + " chunks, " + embeddings.size() + " vectors");
        }
        if (chunks.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> rows = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            StaleChunk c = chunks.get(i);
            List<Double> vector = new ArrayList<>(embeddings.get(i).length);
            for (float f : embeddings.get(i)) {
                vector.add((double) f);
            }
            rows.add(Map.of(
                    "tenant", c.tenant(),
                    "documentId", c.documentId(),
                    "index", c.index(),
                    "text", c.text(),
                    "embedding", vector));
        }
        return graph.writeBulk(tx -> tx.run(
                                "UNWIND $rows AS row MATCH (c:Chunk {tenant: row.tenant, documentId: row.documentId, "
                                        + "index: row.index}) WHERE c.text = row.text AND " + STALE
                                        + " SET c.embedding = row.embedding, c." + Neo4jTenantVectors.MODEL_PROPERTY
                                        + " = $model RETURN count(c) AS n",
                                Map.of("rows", rows, "model", vectors.model(), "tenants", List.of()))
                        .single()
                        .get("n")
                        .asLong())
                .intValue();
    }

    @Override
    public Map<String, Long> staleChunkCounts(List<String> tenants) {
        Map<String, Long> counts = new HashMap<>();
        graph.query(
                "MATCH (c:Chunk) WHERE c.embedding IS NOT NULL AND " + STALE + " RETURN coalesce(c."
                        + Neo4jTenantVectors.MODEL_PROPERTY + ", 'none') AS model, count(*) AS n",
                Map.of("model", vectors.model(), "tenants", tenants),
                r -> counts.put(r.get("model").asString(), r.get("n").asLong()));
        return counts;
    }

    @Override
    public List<ScoredChunk> keyword(String tenant, String query, int limit, Map<String, Object> filters) {
        Map<String, Object> p = keywordParameters(tenant, query, limit, filters);
        return p == null ? List.of() : graph.query(KEYWORD, p, this::hit);
    }

    @Override
    public CompletableFuture<List<ScoredChunk>> keywordAsync(
            String tenant, String query, int limit, Map<String, Object> filters) {
        Map<String, Object> p = keywordParameters(tenant, query, limit, filters);
        return p == null ? CompletableFuture.completedFuture(List.of()) : graph.queryAsync(KEYWORD, p, this::hit);
    }

    /** The keyword statement's parameters, or null when the query holds no word (then nothing matches). */
    private Map<String, Object> keywordParameters(String tenant, String query, int limit, Map<String, Object> filters) {
        String terms = luceneTerms(query);
        if (terms.isEmpty()) {
            return null;
        }
        Map<String, Object> p = new HashMap<>();
        p.put("tenant", tenant);
        p.put("query", "+tenantToken:" + tenantToken(tenant) + "^0 +text:(" + terms + ")");
        p.put("filters", filters);
        p.put("limit", limit);
        p.put(
                "candidates",
                filters.isEmpty() ? limit : Math.min(search.maxIndexCandidates(), limit * search.overFetchFactor()));
        return p;
    }

    /**
     * The words of a plain-text query as Lucene terms: every query-syntax character escaped and the
     * operator words (AND, OR, NOT) lower-cased so they are ordinary words; words without a letter or digit
     * are dropped. Terms are OR-ed (Lucene's default).
     */
    static String luceneTerms(String query) {
        StringBuilder out = new StringBuilder();
        for (String word : query.strip().split("\\s+")) {
            if (word.codePoints().noneMatch(Character::isLetterOrDigit)) {
                continue;
            }
            StringBuilder term = new StringBuilder();
            for (char c : word.toLowerCase(Locale.ROOT).toCharArray()) {
                if ("+-&|!(){}[]^\"~*?:\\/".indexOf(c) >= 0) {
                    term.append('\\');
                }
                term.append(c);
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(term);
        }
        return out.toString();
    }

    /** The tenant as one full-text token: {@code tk} and the SHA-256 of the tenant in hex. */
    static String tenantToken(String tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return "tk" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private ScoredChunk hit(MapAccessor r) {
        return new ScoredChunk(
                r.get("documentId").asString(),
                r.get("chunkIndex").asInt(),
                r.get("text").asString(),
                r.get("score").asDouble(),
                r.get("title").asString(),
                read(r.get("metadata").asString()));
    }

    private String write(Map<String, Object> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata is not serialisable", e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }
}
