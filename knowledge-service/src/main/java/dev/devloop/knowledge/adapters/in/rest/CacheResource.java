package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.knowledge.domain.CacheInvalidation;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.ports.in.CacheUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * REST adapter of the read cache: {@code DELETE /cache} clears every region of the tenant's cache,
 * {@code DELETE /cache/{region}} ({@code facts}, {@code graph}, {@code search}) one; the clear is announced on
 * {@code devloop.cache.invalidation} like any write's invalidation.
 */
@Tag(name = "Cache", description = "The tenant's read cache")
@Path("/cache")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {
    private final CacheUseCase cache;

    private final Caller caller;

    public CacheResource(Caller caller, CacheUseCase cache) {
        this.caller = caller;
        this.cache = cache;
    }

    /** What was cleared: the tenant, the regions and the id of the invalidation event. */
    @RegisterForReflection
    public record Cleared(String tenant, List<String> regions, String invalidationId) {}

    @DELETE
    @Operation(summary = "Clear every region of the tenant's read cache")
    @APIResponse(responseCode = "200", description = "What was cleared")
    public Cleared clearAll() {
        String tenant = caller.tenant();
        return view(cache.clear(tenant, null));
    }

    @DELETE
    @Path("/{region}")
    @Operation(summary = "Clear one region of the tenant's read cache")
    @APIResponse(responseCode = "200", description = "What was cleared")
    public Cleared clear(@PathParam("region") String region) {
        String tenant = caller.tenant();
        return view(cache.clear(tenant, region));
    }

    private static Cleared view(CacheInvalidation invalidation) {
        return new Cleared(
                invalidation.tenant(),
                invalidation.regions().stream()
                        .map(CacheRegion::wireName)
                        .sorted()
                        .toList(),
                invalidation.id());
    }
}
