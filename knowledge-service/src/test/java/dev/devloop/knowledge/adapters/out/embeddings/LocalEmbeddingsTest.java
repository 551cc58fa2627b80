package dev.devloop.knowledge.adapters.out.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalEmbeddingsTest {

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

  @Test
  void theInProcessModelLoadsAndEmbedsMeaningInBatches() {
    LocalEmbeddings embeddings = new LocalEmbeddings(2);
    List<float[]> v = embeddings.embed("t", List.of(
        "How do I reset my password?",
        "Steps to recover a forgotten login credential",
        "The recipe needs two cups of flour and an egg."));
    assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
    assertThat(embeddings.dimensions()).isEqualTo(384);
    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.1);
  }
}
