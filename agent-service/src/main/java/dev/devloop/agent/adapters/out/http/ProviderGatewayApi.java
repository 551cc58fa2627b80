package dev.devloop.agent.adapters.out.http;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** provider-gateway's HTTP API as this service uses it. */
@RegisterProvider(ToProviderGateway.class)
@RegisterRestClient(configKey = "provider-gateway")
@Path("/v1")
interface ProviderGatewayApi {
    @POST
    @Path("/generate")
    GenerateResponse generate(@HeaderParam(Headers.TENANT) String tenant, GenerateRequest request);

    @POST
    @Path("/validate")
    com.fasterxml.jackson.databind.JsonNode validate(
            @HeaderParam(Headers.TENANT) String tenant, com.fasterxml.jackson.databind.JsonNode request);
}
