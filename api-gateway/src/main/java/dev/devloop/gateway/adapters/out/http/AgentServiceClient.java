package dev.devloop.gateway.adapters.out.http;

import dev.devloop.contracts.Headers;
import io.quarkus.rest.client.reactive.Url;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The REST client of agent-service (base URL per call: the tenant's cell; {@code Authorization} per call: the token
 * signed for the caller); answers come back as raw responses so they pass through verbatim.
 */
@RegisterRestClient(configKey = "agent-service")
@Produces({MediaType.APPLICATION_JSON, AgentServiceClient.PROBLEM_JSON})
interface AgentServiceClient {
    String PROBLEM_JSON = "application/problem+json";

    @POST
    @Path("/agents/{ref}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    Response startRun(
            @Url String baseUrl,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(Headers.TENANT) String tenant,
            @HeaderParam(Headers.SUBJECT) String subject,
            @PathParam("ref") String agentRef,
            @QueryParam("wait") boolean waitForResult,
            byte[] body);

    @GET
    @Path("/runs/{id}")
    Response getRun(
            @Url String baseUrl,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(Headers.TENANT) String tenant,
            @HeaderParam(Headers.SUBJECT) String subject,
            @PathParam("id") String runId);

    @GET
    @Path("/agents/{id}")
    Response getAgent(
            @Url String baseUrl,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(Headers.TENANT) String tenant,
            @HeaderParam(Headers.SUBJECT) String subject,
            @PathParam("id") String agentId);
}
