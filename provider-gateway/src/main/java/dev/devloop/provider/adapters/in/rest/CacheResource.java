package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.ports.in.ClearResponseCacheUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** {@code DELETE /v1/cache}: drops the calling tenant's cached answers (the owner's API behind {@code clear_cache}). */
@Tag(name = "Cache", description = "The response cache")
@Path("/v1/cache")
public class CacheResource {
    private static final Logger LOG = Logger.getLogger(CacheResource.class);

    static final String CACHE = "provider-responses";

    @RegisterForReflection
    public record Cleared(String cache, String tenant, long dropped) {}

    private final ClearResponseCacheUseCase useCase;
    private final Caller caller;

    public CacheResource(ClearResponseCacheUseCase useCase, Caller caller) {
        this.useCase = useCase;
        this.caller = caller;
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Drop the tenant's cached model answers")
    public Cleared clear() {
        String tenant = caller.tenant();
        long dropped;
        try {
            dropped = useCase.clear(tenant);
        } catch (RuntimeException e) {
            throw ProblemException.unavailable(
                    "cache-unavailable",
                    "the response cache (Redis) did not answer: " + e.getClass().getSimpleName());
        }
        LogFields.of("tenant", tenant, "dropped", dropped).info(LOG, "response cache cleared");
        return new Cleared(CACHE, tenant, dropped);
    }
}
