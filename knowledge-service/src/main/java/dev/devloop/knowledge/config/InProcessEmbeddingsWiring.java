package dev.devloop.knowledge.config;

import dev.devloop.knowledge.adapters.out.embeddings.LocalEmbeddings;
import dev.devloop.knowledge.adapters.out.providergateway.GuardedGateway;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** The JVM build's embedder: in-process all-MiniLM-L6-v2 ({@code local}) or provider-gateway ({@code gateway}). */
@ApplicationScoped
@IfBuildProperty(name = EmbeddingsWiring.IN_PROCESS, stringValue = "true", enableIfMissing = true)
public class InProcessEmbeddingsWiring {

    void checkEmbeddingsProvider(@Observes StartupEvent event, KnowledgeConfig config) {
        EmbeddingsWiring.checkProvider(config.embeddings().provider());
    }

    @Produces
    @ApplicationScoped
    EmbeddingPort embeddings(KnowledgeConfig config, GuardedGateway gateway) {
        KnowledgeConfig.Embeddings e = config.embeddings();
        EmbeddingsWiring.checkProvider(e.provider());
        return e.provider().equals(EmbeddingsWiring.LOCAL)
                ? new LocalEmbeddings(e.maxBatchSize(), e.localThreads(), e.localInferenceBatch())
                : EmbeddingsWiring.gateway(e, gateway);
    }

    /** Releases the in-process model's native ONNX session at shutdown. */
    void closeEmbeddings(@Disposes EmbeddingPort embeddings) {
        if (embeddings instanceof LocalEmbeddings local) {
            local.close();
        }
    }
}
