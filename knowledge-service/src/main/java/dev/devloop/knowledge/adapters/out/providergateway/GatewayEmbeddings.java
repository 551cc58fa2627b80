package dev.devloop.knowledge.adapters.out.providergateway;

import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.ports.out.EmbeddingModels;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * Embeddings from provider-gateway's OpenAI-style {@code POST /v1/embeddings}, in batches of at most
 * {@code maxBatchSize} inputs; every vector must have the configured dimensions (the index's).
 */
public class GatewayEmbeddings implements EmbeddingPort {
    private final GuardedGateway gateway;
    private final String model;
    private final int dimensions;
    private final int maxBatchSize;

    public GatewayEmbeddings(GuardedGateway gateway, String model, int dimensions, int maxBatchSize) {
        this.gateway = gateway;
        this.model = model;
        this.dimensions = dimensions;
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public List<float[]> embed(String tenant, List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += maxBatchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + maxBatchSize));
            ProviderGatewayClient.EmbeddingsResponse response;
            try {
                response = gateway.embeddings(
                        tenant, new ProviderGatewayClient.EmbeddingsRequest(List.copyOf(batch), model));
            } catch (FaultToleranceException e) {
                throw GatewayCalls.unavailable(e);
            }
            vectors.addAll(ordered(response, batch.size()));
        }
        return vectors;
    }

    private List<float[]> ordered(ProviderGatewayClient.EmbeddingsResponse response, int expected) {
        if (response == null || response.data() == null || response.data().size() != expected) {
            throw new DependencyUnavailableException(
                    GatewayCalls.SLUG, "provider-gateway returned a malformed embeddings answer.", null);
        }
        float[][] byIndex = new float[expected][];
        for (int i = 0; i < expected; i++) {
            ProviderGatewayClient.EmbeddingData d = response.data().get(i);
            int at = d.index() == null ? i : d.index();
            if (at < 0 || at >= expected || d.embedding() == null || d.embedding().length != dimensions) {
                throw new DependencyUnavailableException(
                        GatewayCalls.SLUG,
                        "provider-gateway returned embeddings of " + "the wrong shape (index " + at
                                + "); the index expects " + dimensions + " dimensions.",
                        null);
            }
            if (byIndex[at] != null) {
                throw new DependencyUnavailableException(
                        GatewayCalls.SLUG, "provider-gateway returned two embeddings for index " + at + ".", null);
            }
            byIndex[at] = d.embedding();
        }
        return List.of(byIndex);
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /** {@link EmbeddingModels#ofGateway}: the in-process twin's id for the gateway's default, else {@code gateway:<model>}. */
    @Override
    public String model() {
        return EmbeddingModels.ofGateway(model);
    }
}
