package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.ports.in.ClearResponseCacheUseCase;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code DELETE /v1/cache}: drops the calling tenant's cached answers (the owner's API behind {@code clear_cache}). */
@Path("/v1/cache")
public class CacheResource {
    static final String CACHE = "provider-responses";

    @RegisterForReflection
    public record Cleared(String cache, String tenant, long dropped) {}

    private final ClearResponseCacheUseCase useCase;

    public CacheResource(ClearResponseCacheUseCase useCase) {
        this.useCase = useCase;
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Cleared clear(@HeaderParam(Headers.TENANT) String tenantHeader) {
        String tenant = Tenants.require(tenantHeader);
        long dropped;
        try {
            dropped = useCase.clear(tenant);
        } catch (RuntimeException e) {
            throw ProblemException.unavailable(
                    "cache-unavailable",
                    "the response cache (Redis) did not answer: " + e.getClass().getSimpleName());
        }
        Log.infof("response cache cleared tenant=%s dropped=%d", tenant, dropped);
        return new Cleared(CACHE, tenant, dropped);
    }
}
