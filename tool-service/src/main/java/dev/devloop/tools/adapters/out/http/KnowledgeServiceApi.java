package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.knowledge.FactWrite;
import io.quarkus.rest.client.reactive.NotBody;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * knowledge-service's HTTP API as this service uses it; answers stay JSON trees so no field is lost. The call's tenant
 * goes out as {@code X-Devloop-Tenant} through {@code @ClientHeaderParam} (a {@code @HeaderParam} of it is what the
 * tenantComesFromTheCaller rule forbids) so {@link ToKnowledgeService} signs the token for it; the same in
 * {@link KnowledgeGraphApi} and {@link KnowledgeRoadmapApi}.
 */
@RegisterRestClient(configKey = "knowledge-service")
@RegisterProvider(ToKnowledgeService.class)
@Path("/facts")
@Produces(MediaType.APPLICATION_JSON)
interface KnowledgeServiceApi {
    @PUT
    @Path("/{entity}/{attribute}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode store(
            @NotBody String tenant,
            @PathParam("entity") String entity,
            @PathParam("attribute") String attribute,
            FactWrite body);

    @GET
    @Path("/{entity}/{attribute}")
    @ClientHeaderParam(name = Headers.TENANT, value = "{tenant}")
    JsonNode retrieve(
            @NotBody String tenant, @PathParam("entity") String entity, @PathParam("attribute") String attribute);
}
