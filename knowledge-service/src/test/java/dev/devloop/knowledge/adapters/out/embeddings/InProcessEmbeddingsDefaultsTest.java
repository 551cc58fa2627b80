package dev.devloop.knowledge.adapters.out.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's default embedder is the int8 model (stop 35) and runs a document's chunks one ONNX run each (stop 32:
 * {@code local-inference-batch=1}; padded pairs were 1.8–2.1× slower for a 7-chunk document in
 * {@code EmbeddingProbeBenchmark}), on two non-spinning threads, and a long document's chunks still come back in order,
 * one unit vector each.
 */
@QuarkusTest
class InProcessEmbeddingsDefaultsTest {
    @Inject
    EmbeddingPort embeddings;

    @Test
    void theWiredModelRunsOneChunkPerInferenceAndKeepsTheirOrder() {
        LocalEmbeddings local = (LocalEmbeddings) ClientProxy.unwrap(embeddings);
        assertThat(local.inferenceBatch()).isEqualTo(1);
        assertThat(local.threads()).isEqualTo(2);
        // stop 35: the int8 model is the default (stored vectors carry their model id; the re-embed job converts fp32)
        assertThat(local.model()).isEqualTo(LocalEmbeddings.INT8);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            chunks.add(
                    i % 2 == 0
                            ? "Kafka partitions keep per-key ordering " + i
                            : "Sourdough needs a starter and a long proof " + i);
        }
        List<float[]> vectors = embeddings.embed("t", chunks);
        assertThat(vectors).hasSize(7);
        // in order: each chunk's vector is the one it gets alone (int8 is batch-dependent when padded — its dynamic
        // quantisation scales by the whole input tensor — so the comparison is with single runs, not padded pairs)
        for (int i = 0; i < chunks.size(); i++) {
            float[] alone = embeddings.embed("t", List.of(chunks.get(i))).get(0);
            assertThat(dot(vectors.get(i), alone)).as("chunk %d", i).isGreaterThan(0.99999);
        }
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }
}
