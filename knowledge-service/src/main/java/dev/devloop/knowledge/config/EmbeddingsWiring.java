package dev.devloop.knowledge.config;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.adapters.out.providergateway.GatewayEmbeddings;
import dev.devloop.knowledge.adapters.out.providergateway.GuardedGateway;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import org.jboss.logging.Logger;

/**
 * Which embedder a build carries. The build property {@value #IN_PROCESS} ({@code true} unless set; the native Maven
 * profile sets it to {@code false}) decides at build time: {@link InProcessEmbeddingsWiring} (in-process
 * all-MiniLM-L6-v2 or provider-gateway, chosen by {@code devloop.knowledge.embeddings.provider} at run time) or
 * {@link RemoteEmbeddingsWiring} (provider-gateway only — the ONNX Runtime and DJL tokenizer, which load native
 * libraries, are then unreachable and left out of the image).
 */
final class EmbeddingsWiring {
    private static final Logger LOG = Logger.getLogger(EmbeddingsWiring.class);

    /** The build property; see the class comment. */
    static final String IN_PROCESS = "devloop.knowledge.embeddings.in-process";

    static final String LOCAL = "local";
    static final String GATEWAY = "gateway";

    /**
     * provider-gateway's name of the in-process model's twin (its default, 384 dimensions): what a build without the
     * in-process model asks for when {@code local} was configured, so the stored vectors keep their model and length.
     */
    static final String LOCAL_MODEL_AT_GATEWAY = "all-minilm-l6-v2";

    private EmbeddingsWiring() {}

    /** Fails the start on an unknown provider instead of on the first ingestion. */
    static void checkProvider(String provider) {
        if (!provider.equals(LOCAL) && !provider.equals(GATEWAY)) {
            throw new IllegalStateException(
                    "devloop.knowledge.embeddings.provider must be local or gateway, not " + provider);
        }
    }

    /** provider-gateway's {@code /v1/embeddings} with the configured model (empty: the gateway's default). */
    static EmbeddingPort gateway(KnowledgeConfig.Embeddings e, GuardedGateway gateway) {
        return new GatewayEmbeddings(gateway, e.model().orElse(null), e.dimensions(), e.maxBatchSize());
    }

    /**
     * A build without the in-process model: {@code gateway} as configured; {@code local} is served by the gateway's
     * all-MiniLM-L6-v2 (unless a model is set), with a warning, instead of failing the start.
     */
    static EmbeddingPort remoteOnly(KnowledgeConfig.Embeddings e, GuardedGateway gateway) {
        checkProvider(e.provider());
        if (e.provider().equals(GATEWAY)) {
            return gateway(e, gateway);
        }
        String model = e.model().orElse(LOCAL_MODEL_AT_GATEWAY);
        LogFields.of("provider", "local", "model", model, "buildProperty", IN_PROCESS + "=false")
                .warn(
                        LOG,
                        "embeddings provider local, but this build leaves the in-process model out (the native image):"
                                + " embeddings come from provider-gateway's /v1/embeddings");
        return new GatewayEmbeddings(gateway, model, e.dimensions(), e.maxBatchSize());
    }
}
