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
                // every vector carries its model id: searches compare only this model's, the re-embed job converts the
                // rest; a native replica (provider-gateway's fp32 twin) must not share a cell with this one
                LogFields.of("model", e.localModel(), "nativeBuildModel", LocalEmbeddings.FP32)
                        .info(
                                LOG,
                                "in-process embedding model differs from the native build's: replicas of one cell must"
                                        + " embed with one model (set local-model=all-minilm-l6-v2 on JVM replicas"
                                        + " sharing a cell with native ones)");
            }
            if (e.localModel().equals(LocalEmbeddings.INT8) && e.localInferenceBatch() > 1) {
                // int8's dynamic quantisation scales by the whole padded tensor: a text's vector then depends on its
                // batch neighbours (cosine 0.994 to its vector alone, stop 35), so ingest and re-embed disagree
                LogFields.of("model", e.localModel(), "localInferenceBatch", e.localInferenceBatch())
                        .warn(
                                LOG,
                                "the int8 model in padded batches gives batch-dependent vectors; keep"
                                        + " local-inference-batch=1 with it");
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
