package dev.devloop.knowledge.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridRankingTest {
    private static ScoredChunk c(String doc, double score) {
        return new ScoredChunk(doc, 0, "text " + doc, score, "T" + doc, Map.of());
    }

    @Test
    void weightedSumOfMinMaxNormalisedScores() {
        List<ScoredChunk> vector = List.of(c("a", 0.9), c("b", 0.8), c("c", 0.7));
        List<ScoredChunk> keyword = List.of(c("c", 12.0), c("d", 2.0));
        List<SearchHit> hits = HybridRanking.fuse(vector, keyword, Fusion.WEIGHTED, 0.7, 0.3, 10);
        // a: 0.7*1 = 0.7; b: 0.7*0.5 = 0.35; c: 0.7*0 + 0.3*1 = 0.3; d: 0
        assertThat(hits).extracting(SearchHit::documentId).containsExactly("a", "b", "c", "d");
        assertThat(hits.get(0).score()).isCloseTo(0.7, within(1e-9));
        assertThat(hits.get(2).vectorScore()).isEqualTo(0.7);
        assertThat(hits.get(2).keywordScore()).isEqualTo(12.0);
        assertThat(hits.get(0).keywordScore()).isNull();
        assertThat(hits.get(3).vectorScore()).isNull();
    }

    @Test
    void keywordWeightCanOutrankVector() {
        List<ScoredChunk> vector = List.of(c("a", 0.9), c("b", 0.8));
        List<ScoredChunk> keyword = List.of(c("b", 5.0), c("a", 1.0));
        List<SearchHit> hits = HybridRanking.fuse(vector, keyword, Fusion.WEIGHTED, 0.3, 0.7, 1);
        assertThat(hits).extracting(SearchHit::documentId).containsExactly("b");
    }

    @Test
    void reciprocalRankFusionRewardsAgreement() {
        List<ScoredChunk> vector = List.of(c("a", 0.9), c("b", 0.8), c("c", 0.7));
        List<ScoredChunk> keyword = List.of(c("b", 3.0), c("d", 2.0), c("a", 1.0));
        List<SearchHit> hits = HybridRanking.fuse(vector, keyword, Fusion.RRF, 1, 1, 4);
        assertThat(hits).extracting(SearchHit::documentId).containsExactly("b", "a", "d", "c");
        assertThat(hits.get(0).score()).isCloseTo(1.0 / 62 + 1.0 / 61, within(1e-12));
    }

    @Test
    void singleRankingKeepsOrderAndScores() {
        List<SearchHit> hits = HybridRanking.single(List.of(c("a", 3.0), c("b", 1.0)), false, 1);
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).keywordScore()).isEqualTo(3.0);
        assertThat(hits.get(0).vectorScore()).isNull();
    }
}
