package dev.devloop.knowledge.adapters.out.providergateway;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Quarkus REST client of provider-gateway (config key {@code provider-gateway}); propagates {@code traceparent} and
 * carries a token for provider-gateway acting for the {@code X-Devloop-Tenant} it sends.
 */
@RegisterRestClient(configKey = "provider-gateway")
@RegisterProvider(ToProviderGateway.class)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface ProviderGatewayClient {

    @POST
    @Path("/v1/generate")
    GenerateResponse generate(@HeaderParam(Headers.TENANT) String tenant, GenerateRequest request);

    @POST
    @Path("/v1/embeddings")
    EmbeddingsResponse embeddings(@HeaderParam(Headers.TENANT) String tenant, EmbeddingsRequest request);

    /** OpenAI-style embeddings request; {@code model} null takes the gateway's default. */
    @RegisterForReflection
    record EmbeddingsRequest(List<String> input, String model) {}

    /** OpenAI-style embeddings answer: one entry per input, in input order (or carrying {@code index}). */
    @RegisterForReflection
    record EmbeddingsResponse(List<EmbeddingData> data) {}

    /** One embedding of the answer. */
    @RegisterForReflection
    record EmbeddingData(Integer index, float[] embedding) {}
}
