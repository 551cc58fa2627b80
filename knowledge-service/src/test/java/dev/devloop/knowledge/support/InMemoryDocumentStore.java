package dev.devloop.knowledge.support;

import dev.devloop.knowledge.domain.Document;
import dev.devloop.knowledge.domain.DocumentChunk;
import dev.devloop.knowledge.domain.IngestedDocument;
import dev.devloop.knowledge.domain.ScoredChunk;
import dev.devloop.knowledge.ports.out.DocumentStorePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** In-memory document store: exact cosine for vectors, count of shared words for keywords. */
public class InMemoryDocumentStore implements DocumentStorePort {
    public final Map<String, Document> documents = new HashMap<>();
    public final Map<String, List<DocumentChunk>> chunks = new HashMap<>();

    private static String key(String tenant, String id) {
        return tenant + "\u0000" + id;
    }

    /** Content hashes by tenant and id ("" when written without one). */
    public final Map<String, String> hashes = new HashMap<>();

    /** The number of documents of each {@link #replaceAll} call, in order (one call = one store transaction). */
    public final List<Integer> writes = new ArrayList<>();

    @Override
    public void replaceAll(String tenant, List<IngestedDocument> batch) {
        writes.add(batch.size());
        for (IngestedDocument d : batch) {
            String key = key(tenant, d.document().id());
            documents.put(key, d.document());
            chunks.put(key, List.copyOf(d.chunks()));
            hashes.put(key, d.contentHash() == null ? "" : d.contentHash());
        }
    }

    @Override
    public Map<String, String> contentHashes(String tenant, List<String> ids) {
        Map<String, String> found = new HashMap<>();
        for (String id : ids) {
            if (documents.containsKey(key(tenant, id))) {
                found.put(id, hashes.getOrDefault(key(tenant, id), ""));
            }
        }
        return found;
    }

    @Override
    public Optional<Document> find(String tenant, String id) {
        return Optional.ofNullable(documents.get(key(tenant, id)));
    }

    @Override
    public boolean delete(String tenant, String id) {
        chunks.remove(key(tenant, id));
        hashes.remove(key(tenant, id));
        return documents.remove(key(tenant, id)) != null;
    }

    @Override
    public List<ScoredChunk> nearest(String tenant, float[] vector, int limit, Map<String, Object> filters) {
        return rank(tenant, filters, limit, c -> {
            double dot = 0;
            for (int i = 0; i < vector.length; i++) {
                dot += vector[i] * c.embedding()[i];
            }
            return (1 + dot) / 2;
        });
    }

    @Override
    public List<ScoredChunk> keyword(String tenant, String query, int limit, Map<String, Object> filters) {
        Set<String> words = words(query);
        return rank(tenant, filters, limit, c -> (double)
                        words(c.text()).stream().filter(words::contains).count())
                .stream()
                .filter(h -> h.score() > 0)
                .toList();
    }

    private static Set<String> words(String text) {
        return java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.toSet());
    }

    private List<ScoredChunk> rank(
            String tenant,
            Map<String, Object> filters,
            int limit,
            java.util.function.ToDoubleFunction<DocumentChunk> score) {
        List<ScoredChunk> all = new ArrayList<>();
        documents.forEach((k, d) -> {
            if (!d.tenant().equals(tenant)
                    || !filters.entrySet().stream()
                            .allMatch(f -> f.getValue().equals(d.metadata().get(f.getKey())))) {
                return;
            }
            for (DocumentChunk c : chunks.get(k)) {
                all.add(new ScoredChunk(d.id(), c.index(), c.text(), score.applyAsDouble(c), d.title(), d.metadata()));
            }
        });
        all.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
        return all.subList(0, Math.min(limit, all.size()));
    }
}
