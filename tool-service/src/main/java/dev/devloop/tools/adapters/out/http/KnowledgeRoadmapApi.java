package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import io.quarkus.rest.client.reactive.NotBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
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
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode node(@NotBody String tenant, @PathParam("id") String id);

    @GET
    @Path("/nodes/{id}/tree")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode tree(@NotBody String tenant, @PathParam("id") String id, @QueryParam("depth") int depth);

    @GET
    @Path("/nodes/{id}/progress")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode progress(@NotBody String tenant, @PathParam("id") String id);

    @GET
    @Path("/ready")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode ready(
            @NotBody String tenant,
            @QueryParam("level") String level,
            @QueryParam("under") String under,
            @QueryParam("limit") int limit);

    @GET
    @Path("/order")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode order(@NotBody String tenant, @QueryParam("level") String level, @QueryParam("under") String under);

    @GET
    @Path("/milestones/{id}/critical-path")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode criticalPath(@NotBody String tenant, @PathParam("id") String id);

    @GET
    @Path("/milestones/{id}/release-notes")
    @Produces("text/markdown")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    String releaseNotes(@NotBody String tenant, @PathParam("id") String id);

    @GET
    @Path("/features/{id}/changelog")
    @Produces("text/markdown")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    String changelog(@NotBody String tenant, @PathParam("id") String id);

    @POST
    @Path("/nodes")
    @Consumes(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode create(@NotBody String tenant, JsonNode body);

    @PATCH
    @Path("/nodes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode update(@NotBody String tenant, @PathParam("id") String id, JsonNode body);
}
