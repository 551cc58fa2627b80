package dev.devloop.agent.adapters.out.http;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** tool-service's HTTP API as this service uses it. */
@RegisterProvider(ToToolService.class)
@RegisterRestClient(configKey = "tool-service")
@Path("/tools")
interface ToolServiceApi {
    @GET
    List<ToolSpec> specs(@HeaderParam(Headers.TENANT) String tenant, @QueryParam("agentType") String agentType);

    /** One registration ({@code limits.maxCallsPerRun} among its fields). */
    @GET
    @Path("/{id}")
    com.fasterxml.jackson.databind.JsonNode registration(
            @HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String toolId);

    @POST
    @Path("/{id}/invocations")
    ToolInvocationResult invoke(
            @HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String toolId, ToolInvocationRequest request);
}
