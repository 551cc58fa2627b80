package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** knowledge-service's graph and search endpoints as the knowledge tools use them (read-only). */
@RegisterRestClient(configKey = "knowledge-service")
@RegisterProvider(ToKnowledgeService.class)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
interface KnowledgeGraphApi {
    @GET
    @Path("entities/{id}")
    JsonNode entity(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id);

    @GET
    @Path("entities/{id}/neighbourhood")
    JsonNode neighbourhood(
            @HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id, @QueryParam("depth") int depth);

    @GET
    @Path("entities")
    JsonNode entities(
            @HeaderParam(Headers.TENANT) String tenant,
            @QueryParam("type") String type,
            @QueryParam("limit") int limit);

    @GET
    @Path("relationships")
    JsonNode relationships(
            @HeaderParam(Headers.TENANT) String tenant,
            @QueryParam("type") String type,
            @QueryParam("limit") int limit);

    @POST
    @Path("search")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode search(@HeaderParam(Headers.TENANT) String tenant, JsonNode body);
}
