package dev.devloop.knowledge.ports.out;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ids of vector spaces: provider-gateway's default and its all-minilm-l6-v2 are the in-process fp32 space. */
class EmbeddingModelsTest {
    @Test
    void theGatewaysDefaultAndItsInProcessTwinAreTheFp32SpaceOtherModelsAreNamedByTheGateway() {
        assertThat(EmbeddingModels.ofGateway(null)).isEqualTo(EmbeddingModels.FP32);
        assertThat(EmbeddingModels.ofGateway(" ")).isEqualTo(EmbeddingModels.FP32);
        assertThat(EmbeddingModels.ofGateway("all-minilm-l6-v2")).isEqualTo(EmbeddingModels.FP32);
        assertThat(EmbeddingModels.ofGateway("text-embedding-3-small")).isEqualTo("gateway:text-embedding-3-small");
        assertThat(EmbeddingModels.ofGateway(EmbeddingModels.INT8)).isEqualTo("gateway:all-minilm-l6-v2-q");
    }
}
