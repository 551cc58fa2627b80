package dev.devloop.knowledge.application;

import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** How a hybrid search starts its keyword query, which then runs while the calling thread embeds the query. */
@FunctionalInterface
public interface KeywordSide {
    CompletableFuture<List<ScoredChunk>> start(
            DocumentStorePort store, String tenant, String query, int limit, Map<String, Object> filters);

    /** On {@code executor} ({@code Runnable::run}: on the calling thread, before the vector side). */
    static KeywordSide on(Executor executor) {
        return (store, tenant, query, limit, filters) ->
                CompletableFuture.supplyAsync(() -> store.keyword(tenant, query, limit, filters), executor);
    }

    /**
     * True when a hybrid search of a tenant the store answers in one round trip ({@link DocumentStorePort#hybridInOne})
     * embeds the query first and then asks for both sides at once ({@link DocumentStorePort#hybrid}); this side then
     * only runs for the other tenants. False (this default): the keyword query always overlaps the embedding.
     */
    default boolean withVectorQuery() {
        return false;
    }

    /** Both sides in one store call where the store can ({@link #withVectorQuery()}); elsewhere as {@code others}. */
    static KeywordSide withVectorQuery(KeywordSide others) {
        return new KeywordSide() {
            @Override
            public CompletableFuture<List<ScoredChunk>> start(
                    DocumentStorePort store, String tenant, String query, int limit, Map<String, Object> filters) {
                return others.start(store, tenant, query, limit, filters);
            }

            @Override
            public boolean withVectorQuery() {
                return true;
            }
        };
    }

    /** Through the store's non-blocking call: no thread of ours waits for it. */
    static KeywordSide storeAsync() {
        return DocumentStorePort::keywordAsync;
    }
}
