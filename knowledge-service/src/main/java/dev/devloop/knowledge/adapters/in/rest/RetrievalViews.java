package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.ports.in.BatchIngestResult;
import dev.devloop.knowledge.ports.in.RagAnswer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Request and response bodies of {@code /documents}, {@code /search} and {@code /rag/query}. */
final class RetrievalViews {
    private RetrievalViews() {}

    /** {@code POST /documents} body. */
    @RegisterForReflection
    record DocumentWrite(String id, String title, String text, String contentType, Map<String, Object> metadata) {}

    /** A stored document (without its text). */
    @RegisterForReflection
    record DocumentView(
            String tenant,
            String id,
            String title,
            String contentType,
            Map<String, Object> metadata,
            int chunkCount,
            long characters,
            String updatedAt) {
        static DocumentView of(Document d) {
            return new DocumentView(
                    d.tenant(),
                    d.id(),
                    d.title(),
                    d.contentType(),
                    d.metadata(),
                    d.chunkCount(),
                    d.characters(),
                    d.updatedAt().toString());
        }
    }

    /** {@code POST /documents/batch} body. */
    @RegisterForReflection
    record BatchWrite(List<DocumentWrite> documents) {}

    /**
     * One document's outcome in a batch: {@code result} is {@code created}, {@code replaced}, {@code unchanged} or
     * {@code rejected}; {@code chunkCount} is present when chunks were written, {@code problem} when rejected (its
     * {@code field} prefixed with {@code documents[index]}).
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutcomeView(int index, String id, String result, Integer chunkCount, Problem problem) {
        static OutcomeView of(BatchIngestResult.Outcome o) {
            return new OutcomeView(
                    o.index(),
                    o.id(),
                    o.result().name().toLowerCase(Locale.ROOT),
                    o.chunkCount() > 0 ? o.chunkCount() : null,
                    o.rejection() == null ? null : KnowledgeProblems.problem(o.rejection()));
        }
    }

    /** {@code POST /documents/batch} answer: the counts per result, and every document's outcome in request order. */
    @RegisterForReflection
    record BatchView(long created, long replaced, long unchanged, long rejected, List<OutcomeView> results) {
        static BatchView of(BatchIngestResult r) {
            return new BatchView(
                    r.count(BatchIngestResult.Result.CREATED),
                    r.count(BatchIngestResult.Result.REPLACED),
                    r.count(BatchIngestResult.Result.UNCHANGED),
                    r.count(BatchIngestResult.Result.REJECTED),
                    r.results().stream().map(OutcomeView::of).toList());
        }
    }

    /** Fusion weights of hybrid search. */
    @RegisterForReflection
    record Weights(Double vector, Double keyword) {}

    /** {@code POST /search} body. */
    @RegisterForReflection
    record SearchRequest(
            String query, String mode, Integer limit, Map<String, Object> filters, Weights weights, String fusion) {}

    /** Where a hit comes from. */
    @RegisterForReflection
    record Source(String title, Map<String, Object> metadata) {}

    /** One search hit; a per-index score is absent when that index did not return the chunk. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HitView(
            String documentId,
            int chunkIndex,
            String text,
            double score,
            Double vectorScore,
            Double keywordScore,
            Source source) {
        static HitView of(SearchHit h) {
            return new HitView(
                    h.documentId(),
                    h.chunkIndex(),
                    h.text(),
                    h.score(),
                    h.vectorScore(),
                    h.keywordScore(),
                    new Source(h.title(), h.metadata()));
        }
    }

    /** {@code POST /search} answer. */
    @RegisterForReflection
    record SearchResponse(String mode, List<HitView> hits) {}

    /** {@code POST /rag/query} body. */
    @RegisterForReflection
    record RagRequest(String question, Integer limit, String mode, String provider, String model) {}

    /** {@code POST /rag/query} answer. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RagView(String answer, List<RagAnswer.Source> sources, Usage usage, String provider, String model) {}
}
