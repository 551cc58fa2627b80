package dev.devloop.tools.adapters.out.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * knowledge-service's liveness endpoint, on its own client so its short timeouts apply only here. {@code /q/} is open:
 * no credential is sent.
 */
@RegisterRestClient(configKey = "knowledge-service-health")
@Path("/q/health")
interface KnowledgeHealthApi {
    @GET
    @Path("/live")
    Response live();
}
