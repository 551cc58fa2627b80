package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.UpstreamErrors;
import dev.devloop.provider.config.InProcessModels;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code local} all-MiniLM-L6-v2 embeddings of a build without in-process models (the native image,
 * {@link InProcessModels}): instead of the ONNX runtime, an OpenAI-compatible {@code /embeddings} server serving that
 * model at {@code devloop.provider.local.embeddings-base-url} (e.g. llama.cpp's {@code llama-server --embeddings}
 * with an all-MiniLM-L6-v2 GGUF, or Hugging Face text-embeddings-inference). Same name, model and dimension (384) as
 * the in-process provider.
 */
@ApplicationScoped
@IfBuildProperty(name = InProcessModels.BUILD_PROPERTY, stringValue = "false")
public class RemoteLocalEmbeddingProvider implements EmbeddingProviderPort {
    public static final String MODEL = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;
    static final String URL_SETTING = "DEVLOOP_LOCAL_EMBEDDINGS_BASE_URL";

    private final Optional<String> baseUrl;
    private final Duration timeout;
    private volatile EmbeddingModel model;

    public RemoteLocalEmbeddingProvider(ProviderConfig config) {
        this.baseUrl = config.local().embeddingsBaseUrl().filter(u -> !u.isBlank());
        this.timeout = config.local().timeout();
    }

    @Override
    public String name() {
        return RemoteLocalChatProvider.NAME;
    }

    @Override
    public List<String> models() {
        return List.of(MODEL);
    }

    @Override
    public boolean configured() {
        return baseUrl.isPresent();
    }

    @Override
    public String notConfiguredDetail() {
        return "local embeddings are not configured: this native image runs no model in-process; set " + URL_SETTING
                + " (devloop.provider.local.embeddings-base-url) to an OpenAI-compatible server serving " + MODEL;
    }

    @Override
    public Integer fixedDimension(String model) {
        return DIMENSION;
    }

    @Override
    public EmbeddingAnswer embed(String modelName, List<String> inputs, Integer dimensions) {
        Response<List<Embedding>> response;
        try {
            response = model().embedAll(inputs.stream().map(TextSegment::from).toList());
        } catch (RuntimeException e) {
            throw UpstreamErrors.classify(RemoteLocalChatProvider.NAME, URL_SETTING, e, timeout);
        }
        if (response == null || response.content() == null || response.content().size() != inputs.size()) {
            throw ProviderFailure.of(
                    ProviderFailure.Kind.MALFORMED_RESPONSE,
                    RemoteLocalChatProvider.NAME,
                    "the local embeddings server returned a different number of embeddings than inputs");
        }
        List<float[]> vectors = new ArrayList<>(inputs.size());
        response.content().forEach(e -> vectors.add(e.vector()));
        long tokens = response.tokenUsage() != null && response.tokenUsage().inputTokenCount() != null
                ? response.tokenUsage().inputTokenCount()
                : 0;
        return new EmbeddingAnswer(vectors, tokens, MODEL);
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            m = OpenAiEmbeddingModel.builder()
                    .baseUrl(baseUrl.orElseThrow())
                    .apiKey("not-needed")
                    .modelName(MODEL)
                    .timeout(timeout)
                    .maxRetries(0)
                    .build();
            model = m;
        }
        return m;
    }
}
