package dev.devloop.knowledge.application;

import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How a hybrid search starts its keyword query, which then runs while the calling thread embeds the query (for the
 * tenants {@code SearchService} does not answer with one statement holding both sides).
 */
@FunctionalInterface
public interface KeywordSide {
    CompletableFuture<List<ScoredChunk>> start(
            DocumentStorePort store, String tenant, String query, int limit, Map<String, Object> filters);

    /** On {@code executor} ({@code Runnable::run}: on the calling thread, before the vector side). */
    static KeywordSide on(Executor executor) {
        return (store, tenant, query, limit, filters) ->
                CompletableFuture.supplyAsync(() -> store.keyword(tenant, query, limit, filters), executor);
    }

    /** Through the store's non-blocking call: no thread of ours waits for it. */
    static KeywordSide storeAsync() {
        return DocumentStorePort::keywordAsync;
    }
}
