package dev.devloop.knowledge.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fuses a vector ranking and a keyword ranking into one list of hits. */
public final class HybridRanking {
    /** The usual reciprocal-rank-fusion constant. */
    public static final int RRF_K = 60;

    private HybridRanking() {}

    /** Hits of a single ranking, score = the index's score. */
    public static List<SearchHit> single(List<ScoredChunk> ranking, boolean vector, int limit) {
        List<SearchHit> hits = new ArrayList<>();
        for (ScoredChunk c : ranking) {
            if (hits.size() == limit) {
                break;
            }
            hits.add(new SearchHit(
                    c.documentId(),
                    c.chunkIndex(),
                    c.text(),
                    c.score(),
                    vector ? c.score() : null,
                    vector ? null : c.score(),
                    c.title(),
                    c.metadata()));
        }
        return hits;
    }

    /**
     * Fuses both rankings. {@link Fusion#WEIGHTED}: each list's scores are min-max normalised to [0, 1]
     * (a chunk absent from a list counts 0 there) and summed with the weights. {@link Fusion#RRF}: each
     * list contributes {@code weight / (60 + rank)}, rank starting at 1. Ties keep the vector order first.
     */
    public static List<SearchHit> fuse(
            List<ScoredChunk> vector,
            List<ScoredChunk> keyword,
            Fusion fusion,
            double vectorWeight,
            double keywordWeight,
            int limit) {
        Map<String, ScoredChunk> chunks = new LinkedHashMap<>();
        Map<String, Double> vectorScores = new LinkedHashMap<>();
        Map<String, Double> keywordScores = new LinkedHashMap<>();
        Map<String, Double> fused = new LinkedHashMap<>();
        contribute(vector, fusion, vectorWeight, chunks, vectorScores, fused);
        contribute(keyword, fusion, keywordWeight, chunks, keywordScores, fused);
        List<String> order = new ArrayList<>(fused.keySet());
        order.sort(Comparator.comparingDouble((String k) -> fused.get(k)).reversed());
        List<SearchHit> hits = new ArrayList<>();
        for (String key : order.subList(0, Math.min(limit, order.size()))) {
            ScoredChunk c = chunks.get(key);
            hits.add(new SearchHit(
                    c.documentId(),
                    c.chunkIndex(),
                    c.text(),
                    fused.get(key),
                    vectorScores.get(key),
                    keywordScores.get(key),
                    c.title(),
                    c.metadata()));
        }
        return hits;
    }

    private static void contribute(
            List<ScoredChunk> ranking,
            Fusion fusion,
            double weight,
            Map<String, ScoredChunk> chunks,
            Map<String, Double> raw,
            Map<String, Double> fused) {
        double max = ranking.stream().mapToDouble(ScoredChunk::score).max().orElse(0);
        double min = ranking.stream().mapToDouble(ScoredChunk::score).min().orElse(0);
        int rank = 0;
        for (ScoredChunk c : ranking) {
            rank++;
            if (raw.containsKey(c.key())) {
                continue;
            }
            chunks.putIfAbsent(c.key(), c);
            raw.put(c.key(), c.score());
            double part = fusion == Fusion.RRF
                    ? weight / (RRF_K + rank)
                    : weight * (max > min ? (c.score() - min) / (max - min) : 1.0);
            fused.merge(c.key(), part, Double::sum);
        }
    }
}
