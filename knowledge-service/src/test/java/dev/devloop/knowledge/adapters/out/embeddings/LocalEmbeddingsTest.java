package dev.devloop.knowledge.adapters.out.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalEmbeddingsTest {
    private static LocalEmbeddings embeddings;

    @BeforeAll
    static void load() {
        embeddings = new LocalEmbeddings(4, 2, 3);
    }

    @AfterAll
    static void close() {
        embeddings.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /**
     * Stop 34: a call told to give up stops (between texts, or inside the running inference through ONNX Runtime's
     * terminate flag) with a CancellationException, and the shared session still embeds the same vectors afterwards.
     */
    @Test
    void anAbandonedCallStopsAndTheSessionStillEmbedsTheSameVectors() throws Exception {
        String chunk = "Kafka partitions keep per-key ordering while consumers in a group share the partitions. ";
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            many.add(i + " " + chunk.repeat(12));
        }
        float[] before = embeddings.embed("t", List.of(many.get(0))).get(0);
        assertThat(embeddings.stopsEarly()).isTrue();

        assertThatThrownBy(() -> embeddings.embed("t", many, CompletableFuture.completedFuture(null)))
                .isInstanceOf(CancellationException.class);
        CompletableFuture<Void> abandon = new CompletableFuture<>();
        CompletableFuture<List<float[]>> running =
                CompletableFuture.supplyAsync(() -> embeddings.embed("t", many, abandon));
        abandon.complete(null);
        assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CancellationException.class);

        List<float[]> after = embeddings.embed("t", many.subList(0, 2), new CompletableFuture<>());
        assertThat(after).hasSize(2);
        assertThat(cosine(after.get(0), before)).isGreaterThan(0.99999);
    }

    @Test
    void theInProcessModelLoadsAndEmbedsMeaningInBatches() {
        List<float[]> v = embeddings.embed(
                "t",
                List.of(
                        "How do I reset my password?",
                        "Steps to recover a forgotten login credential",
                        "The recipe needs two cups of flour and an egg."));
        assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
        assertThat(embeddings.dimensions()).isEqualTo(384);
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.1);
    }

    /**
     * The vectors already stored were computed by LangChain4j's model: the faster session must give the same ones
     * (same model, tokenizer truncation at 128 tokens, mean pooling), whether a text runs alone or padded next to
     * longer and shorter ones.
     */
    @Test
    void vectorsEqualLangChain4jsModelForShortLongAndPaddedTexts() {
        String longText =
                "Kafka partitions keep per-key ordering while consumers in a group share the partitions. ".repeat(12);
        List<String> texts = List.of(
                "reset password",
                longText,
                "Neo4j answers variable-length path queries.",
                "a",
                "Redis keys expire with a TTL; eviction policies decide what goes when memory is full.");
        List<float[]> fast = embeddings.embed("t", texts);
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
        assertThat(fast).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = reference.embed(texts.get(i)).content().vector();
            assertThat(cosine(fast.get(i), expected)).as("text %d", i).isGreaterThan(0.99999);
            double norm = cosine(fast.get(i), fast.get(i));
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        // one text alone gives the same vector as inside a padded batch
        float[] alone = embeddings.embed("t", List.of(texts.get(3))).get(0);
        assertThat(cosine(alone, fast.get(3))).isGreaterThan(0.99999);
    }

    @Test
    void keepsOrderAcrossManyInferenceBatches() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            texts.add(i % 2 == 0 ? "database replication topic " + i : "baking bread with yeast " + i);
        }
        List<float[]> v = embeddings.embed("t", texts);
        assertThat(v).hasSize(7);
        for (int i = 0; i < 7; i++) {
            float[] alone = embeddings.embed("t", List.of(texts.get(i))).get(0);
            assertThat(cosine(v.get(i), alone)).as("text %d", i).isGreaterThan(0.99999);
        }
    }

    /**
     * {@code local-model=all-minilm-l6-v2-q} (stop 33) loads the int8 model: unit vectors of 384 dimensions, close to
     * the fp32 vector of the same text (the probe measured cosine ≥ 0.974 over 600 texts) but not the same vector, and
     * they keep the meaning ordering.
     */
    @Test
    void theQuantisedModelGivesCloseButDistinctVectors() {
        List<String> texts = List.of(
                "How do I reset my password?",
                "Steps to recover a forgotten login credential",
                "The recipe needs two cups of flour and an egg.",
                "Kafka partitions keep per-key ordering while consumers in a group share the partitions. ".repeat(12));
        try (LocalEmbeddings int8 = new LocalEmbeddings(4, 2, 1, LocalEmbeddings.INT8)) {
            assertThat(int8.model()).isEqualTo(LocalEmbeddings.INT8);
            List<float[]> q = int8.embed("t", texts);
            List<float[]> f = embeddings.embed("t", texts);
            assertThat(q).hasSize(texts.size()).allSatisfy(x -> assertThat(x).hasSize(384));
            for (int i = 0; i < texts.size(); i++) {
                assertThat(cosine(q.get(i), q.get(i)))
                        .as("norm %d", i)
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(cosine(q.get(i), f.get(i)))
                        .as("text %d", i)
                        .isGreaterThan(0.95)
                        .isLessThan(0.99999);
            }
            assertThat(cosine(q.get(0), q.get(1))).isGreaterThan(cosine(q.get(0), q.get(2)) + 0.1);
        }
    }

    @Test
    void refusesAnUnknownModel() {
        assertThatThrownBy(() -> new LocalEmbeddings(8, 2, 1, "all-minilm-l6-v2-fp16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local-model")
                .hasMessageContaining("all-minilm-l6-v2-fp16");
    }

    @Test
    void refusesSettingsOutOfBounds() {
        assertThatThrownBy(() -> new LocalEmbeddings(8, 0, 2)).hasMessageContaining("threads");
        assertThatThrownBy(() -> new LocalEmbeddings(8, 65, 2)).hasMessageContaining("threads");
        assertThatThrownBy(() -> new LocalEmbeddings(8, 2, 0)).hasMessageContaining("inferenceBatch");
        assertThatThrownBy(() -> new LocalEmbeddings(8, 2, 9)).hasMessageContaining("inferenceBatch");
        assertThatThrownBy(() -> new LocalEmbeddings(0, 2, 1)).hasMessageContaining("maxBatchSize");
    }
}
