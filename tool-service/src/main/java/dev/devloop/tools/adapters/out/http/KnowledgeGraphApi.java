package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import io.quarkus.rest.client.reactive.NotBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
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
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode entity(@NotBody String tenant, @PathParam("id") String id);

    @GET
    @Path("entities/{id}/neighbourhood")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode neighbourhood(@NotBody String tenant, @PathParam("id") String id, @QueryParam("depth") int depth);

    @GET
    @Path("entities")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode entities(@NotBody String tenant, @QueryParam("type") String type, @QueryParam("limit") int limit);

    @GET
    @Path("relationships")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode relationships(@NotBody String tenant, @QueryParam("type") String type, @QueryParam("limit") int limit);

    @POST
    @Path("search")
    @Consumes(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode search(@NotBody String tenant, JsonNode body);
}
