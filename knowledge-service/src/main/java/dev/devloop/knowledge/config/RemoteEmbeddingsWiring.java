package dev.devloop.knowledge.config;

import dev.devloop.knowledge.adapters.out.providergateway.GuardedGateway;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.arc.properties.UnlessBuildProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/**
 * The embedder of a build without the in-process model ({@code -Ddevloop.knowledge.embeddings.in-process=false}, set
 * by the native profile): provider-gateway's {@code /v1/embeddings} only; nothing here names ONNX Runtime or DJL.
 */
@ApplicationScoped
@UnlessBuildProperty(name = EmbeddingsWiring.IN_PROCESS, stringValue = "true", enableIfMissing = false)
public class RemoteEmbeddingsWiring {

    void checkEmbeddingsProvider(@Observes StartupEvent event, KnowledgeConfig config) {
        EmbeddingsWiring.checkProvider(config.embeddings().provider());
    }

    @Produces
    @ApplicationScoped
    EmbeddingPort embeddings(KnowledgeConfig config, GuardedGateway gateway) {
        return EmbeddingsWiring.remoteOnly(config.embeddings(), gateway);
    }
}
