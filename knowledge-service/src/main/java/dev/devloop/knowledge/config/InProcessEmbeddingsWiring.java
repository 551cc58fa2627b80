package dev.devloop.knowledge.config;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.adapters.out.embeddings.LocalEmbeddings;
import dev.devloop.knowledge.adapters.out.providergateway.GuardedGateway;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** The JVM build's embedder: in-process all-MiniLM-L6-v2 ({@code local}) or provider-gateway ({@code gateway}). */
@ApplicationScoped
@IfBuildProperty(name = EmbeddingsWiring.IN_PROCESS, stringValue = "true", enableIfMissing = true)
public class InProcessEmbeddingsWiring {
    private static final Logger LOG = Logger.getLogger(InProcessEmbeddingsWiring.class);

    void checkEmbeddingsProvider(@Observes StartupEvent event, KnowledgeConfig config) {
        KnowledgeConfig.Embeddings e = config.embeddings();
        EmbeddingsWiring.checkProvider(e.provider());
        if (e.provider().equals(EmbeddingsWiring.LOCAL)) {
            LocalEmbeddings.checkModel(e.localModel());
            if (!e.localModel().equals(LocalEmbeddings.FP32)) {
                // stored vectors carry no model id and are not re-embedded (stop 33): mixing models would compare
                // vectors of different spaces, so the quantised model is for an empty store only
                LogFields.of("model", e.localModel(), "default", LocalEmbeddings.FP32)
                        .warn(
                                LOG,
                                "in-process embedding model is not the default: vectors stored with another model are"
                                        + " not re-embedded and must not be searched with this one (start from an"
                                        + " empty store)");
            }
        }
    }

    @Produces
    @ApplicationScoped
    EmbeddingPort embeddings(KnowledgeConfig config, GuardedGateway gateway) {
        KnowledgeConfig.Embeddings e = config.embeddings();
        EmbeddingsWiring.checkProvider(e.provider());
        return e.provider().equals(EmbeddingsWiring.LOCAL)
                ? new LocalEmbeddings(e.maxBatchSize(), e.localThreads(), e.localInferenceBatch(), e.localModel())
                : EmbeddingsWiring.gateway(e, gateway);
    }

    /** Releases the in-process model's native ONNX session at shutdown. */
    void closeEmbeddings(@Disposes EmbeddingPort embeddings) {
        if (embeddings instanceof LocalEmbeddings local) {
            local.close();
        }
    }
}
