package dev.devloop.provider.adapters.out.local;

import dev.devloop.provider.config.InProcessModels;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process all-MiniLM-L6-v2 (384 dimensions, ONNX model inside the jar, CPU): embeddings with
 * no key and no network. Loaded on first use.
 */
// in-process native code: left out of builds with devloop.build.in-process-models=false (the native image)
@IfBuildProperty(name = InProcessModels.BUILD_PROPERTY, stringValue = "true", enableIfMissing = true)
@ApplicationScoped
public class LocalEmbeddingProvider implements EmbeddingProviderPort {
    public static final String NAME = "local";
    public static final String MODEL = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;

    private volatile EmbeddingModel model;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return List.of(MODEL);
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public String notConfiguredDetail() {
        return "";
    }

    @Override
    public Integer fixedDimension(String model) {
        return DIMENSION;
    }

    @Override
    public EmbeddingAnswer embed(String modelName, List<String> inputs, Integer dimensions) {
        List<TextSegment> segments = inputs.stream().map(TextSegment::from).toList();
        Response<List<Embedding>> response;
        try {
            response = model().embedAll(segments);
        } catch (RuntimeException e) {
            throw new ProviderFailure(
                    ProviderFailure.Kind.UPSTREAM_ERROR,
                    NAME,
                    "in-process embedding model failed: " + e.getClass().getSimpleName(),
                    null,
                    e);
        }
        List<float[]> vectors = new ArrayList<>(inputs.size());
        for (Embedding e : response.content()) {
            vectors.add(e.vector());
        }
        long tokens = response.tokenUsage() != null && response.tokenUsage().inputTokenCount() != null
                ? response.tokenUsage().inputTokenCount()
                : 0;
        return new EmbeddingAnswer(vectors, tokens, MODEL);
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    long start = System.nanoTime();
                    m = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
                    Log.infof(
                            "in-process embedding model %s loaded in %d ms",
                            MODEL, (System.nanoTime() - start) / 1_000_000);
                    model = m;
                }
            }
        }
        return m;
    }
}
