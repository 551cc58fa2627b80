package dev.devloop.knowledge.adapters.out.embeddings;

import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process all-MiniLM-L6-v2 (ONNX, 384 dimensions, the model ships in the jar). The model is loaded
 * on first use and runs on the calling thread; calls are cut into batches of at most {@code maxBatchSize}.
 */
public class LocalEmbeddings implements EmbeddingPort {
  static final int DIMENSIONS = 384;

  private final int maxBatchSize;
  private volatile AllMiniLmL6V2EmbeddingModel model;

  public LocalEmbeddings(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  @Override
  public List<float[]> embed(String tenant, List<String> texts) {
    AllMiniLmL6V2EmbeddingModel loaded = model();
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += maxBatchSize) {
      List<TextSegment> batch = texts.subList(from, Math.min(texts.size(), from + maxBatchSize)).stream()
          .map(TextSegment::from).toList();
      for (Embedding e : loaded.embedAll(batch).content()) {
        vectors.add(e.vector());
      }
    }
    return vectors;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  /** Loads the model (about 90 MB) once. */
  public AllMiniLmL6V2EmbeddingModel model() {
    AllMiniLmL6V2EmbeddingModel current = model;
    if (current == null) {
      synchronized (this) {
        current = model;
        if (current == null) {
          current = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
          model = current;
          Log.infof("embedding model loaded name=all-MiniLM-L6-v2 dimensions=%d", DIMENSIONS);
        }
      }
    }
    return current;
  }
}
