package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** knowledge-service's roadmap endpoints (docs/roadmap.md) as the roadmap tools use them; a null query parameter is left out. */
@RegisterRestClient(configKey = "knowledge-service")
@RegisterProvider(ToKnowledgeService.class)
@Path("/roadmap")
@Produces(MediaType.APPLICATION_JSON)
interface KnowledgeRoadmapApi {
    @GET
    @Path("/nodes/{id}")
    JsonNode node(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id);

    @GET
    @Path("/nodes/{id}/tree")
    JsonNode tree(
            @HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id, @QueryParam("depth") int depth);

    @GET
    @Path("/nodes/{id}/progress")
    JsonNode progress(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id);

    @GET
    @Path("/ready")
    JsonNode ready(
            @HeaderParam(Headers.TENANT) String tenant,
            @QueryParam("level") String level,
            @QueryParam("under") String under,
            @QueryParam("limit") int limit);

    @GET
    @Path("/order")
    JsonNode order(
            @HeaderParam(Headers.TENANT) String tenant,
            @QueryParam("level") String level,
            @QueryParam("under") String under);

    @GET
    @Path("/milestones/{id}/critical-path")
    JsonNode criticalPath(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id);

    @GET
    @Path("/milestones/{id}/release-notes")
    @Produces("text/markdown")
    String releaseNotes(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id);

    @GET
    @Path("/features/{id}/changelog")
    @Produces("text/markdown")
    String changelog(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id);

    @POST
    @Path("/nodes")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(@HeaderParam(Headers.TENANT) String tenant, JsonNode body);

    @PATCH
    @Path("/nodes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode update(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id, JsonNode body);
}
