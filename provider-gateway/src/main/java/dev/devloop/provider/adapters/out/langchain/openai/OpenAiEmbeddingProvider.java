package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.UpstreamErrors;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** OpenAI embeddings ({@code POST /embeddings}) through LangChain4j's OpenAI embedding model, same key and base URL as chat. */
@ApplicationScoped
public class OpenAiEmbeddingProvider implements EmbeddingProviderPort {
    private static final int MAX_MODELS = 64;

    private final OpenAiChatProvider chat;
    private final ProviderConfig config;
    private final Map<String, EmbeddingModel> models = new ConcurrentHashMap<>();

    public OpenAiEmbeddingProvider(OpenAiChatProvider chat, ProviderConfig config) {
        this.chat = chat;
        this.config = config;
    }

    @Override
    public String name() {
        return OpenAiChatProvider.NAME;
    }

    @Override
    public List<String> models() {
        return config.embeddings().openaiModels();
    }

    @Override
    public boolean configured() {
        return chat.configured();
    }

    @Override
    public String notConfiguredDetail() {
        return chat.notConfiguredDetail();
    }

    @Override
    public Integer fixedDimension(String model) {
        return null;
    }

    @Override
    public EmbeddingAnswer embed(String model, List<String> inputs, Integer dimensions) {
        ProviderConfig.OpenAi c = config.openai();
        Response<List<Embedding>> response;
        try {
            response = model(model, dimensions)
                    .embedAll(inputs.stream().map(TextSegment::from).toList());
        } catch (RuntimeException e) {
            throw UpstreamErrors.classify(OpenAiChatProvider.NAME, OpenAiChatProvider.KEY_SETTING, e, c.timeout());
        }
        if (response == null || response.content() == null || response.content().size() != inputs.size()) {
            throw ProviderFailure.of(
                    ProviderFailure.Kind.MALFORMED_RESPONSE,
                    OpenAiChatProvider.NAME,
                    "provider openai returned a different number of embeddings than inputs");
        }
        List<float[]> vectors = new ArrayList<>(inputs.size());
        response.content().forEach(e -> vectors.add(e.vector()));
        long tokens = response.tokenUsage() != null && response.tokenUsage().inputTokenCount() != null
                ? response.tokenUsage().inputTokenCount()
                : 0;
        return new EmbeddingAnswer(vectors, tokens, model);
    }

    private EmbeddingModel model(String model, Integer dimensions) {
        String key = model + "#" + dimensions;
        EmbeddingModel m = models.get(key);
        if (m != null) {
            return m;
        }
        ProviderConfig.OpenAi c = config.openai();
        m = OpenAiEmbeddingModel.builder()
                .baseUrl(chat.effectiveBaseUrl())
                .apiKey(c.apiKey().filter(k -> !k.isBlank()).orElse("not-needed"))
                .modelName(model)
                .dimensions(dimensions)
                .timeout(c.timeout())
                .maxRetries(0)
                .build();
        if (models.size() < MAX_MODELS) {
            models.put(key, m);
        }
        return m;
    }
}
