package dev.devloop.knowledge.adapters.out.providergateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.knowledge.adapters.out.providergateway.ProviderGatewayClient.EmbeddingData;
import dev.devloop.knowledge.adapters.out.providergateway.ProviderGatewayClient.EmbeddingsRequest;
import dev.devloop.knowledge.adapters.out.providergateway.ProviderGatewayClient.EmbeddingsResponse;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GatewayEmbeddingsTest {

    /** An in-process stand-in for the guarded provider-gateway port (no HTTP). */
    static final class FakeGateway extends GuardedGateway {
        final List<EmbeddingsRequest> requests = new ArrayList<>();
        final Function<EmbeddingsRequest, EmbeddingsResponse> answer;

        FakeGateway(Function<EmbeddingsRequest, EmbeddingsResponse> answer) {
            super(null);
            this.answer = answer;
        }

        @Override
        public EmbeddingsResponse embeddings(String tenant, EmbeddingsRequest request) {
            requests.add(request);
            return answer.apply(request);
        }
    }

    private static float[] vector(float first, int dims) {
        float[] v = new float[dims];
        v[0] = first;
        return v;
    }

    @Test
    void batchesRequestsAndOrdersVectorsByIndex() {
        FakeGateway gateway = new FakeGateway(r -> {
            List<EmbeddingData> data = new ArrayList<>();
            for (int i = r.input().size() - 1; i >= 0; i--) {
                data.add(new EmbeddingData(i, vector(Float.parseFloat(r.input().get(i)), 4)));
            }
            return new EmbeddingsResponse(data);
        });
        GatewayEmbeddings embeddings = new GatewayEmbeddings(gateway, "text-embedding-3-small", 4, 2);
        List<float[]> v = embeddings.embed("t", List.of("1", "2", "3", "4", "5"));
        assertThat(v).extracting(x -> x[0]).containsExactly(1f, 2f, 3f, 4f, 5f);
        assertThat(gateway.requests).extracting(r -> r.input().size()).containsExactly(2, 2, 1);
        assertThat(gateway.requests).allSatisfy(r -> assertThat(r.model()).isEqualTo("text-embedding-3-small"));
    }

    @Test
    void wrongShapesAreAProviderFailure() {
        GatewayEmbeddings wrongDims = new GatewayEmbeddings(
                new FakeGateway(r -> new EmbeddingsResponse(List.of(new EmbeddingData(0, vector(1, 3))))), null, 4, 8);
        assertThatThrownBy(() -> wrongDims.embed("t", List.of("a")))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("4 dimensions");
        GatewayEmbeddings missing =
                new GatewayEmbeddings(new FakeGateway(r -> new EmbeddingsResponse(List.of())), null, 4, 8);
        assertThatThrownBy(() -> missing.embed("t", List.of("a"))).isInstanceOf(DependencyUnavailableException.class);
        GatewayEmbeddings duplicate = new GatewayEmbeddings(
                new FakeGateway(r -> new EmbeddingsResponse(
                        List.of(new EmbeddingData(0, vector(1, 4)), new EmbeddingData(0, vector(2, 4))))),
                null,
                4,
                8);
        assertThatThrownBy(() -> duplicate.embed("t", List.of("a", "b")))
                .isInstanceOf(DependencyUnavailableException.class);
    }
}
