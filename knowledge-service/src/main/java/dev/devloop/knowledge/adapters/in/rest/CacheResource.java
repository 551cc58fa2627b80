package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.knowledge.domain.CacheInvalidation;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.ports.in.CacheUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * REST adapter of the read cache: {@code DELETE /cache} clears every region of the tenant's cache,
 * {@code DELETE /cache/{region}} ({@code facts}, {@code graph}, {@code search}) one; the clear is announced on
 * {@code devloop.cache.invalidation} like any write's invalidation.
 */
@Path("/cache")
@Produces(MediaType.APPLICATION_JSON)
public class CacheResource {
    private final CacheUseCase cache;

    public CacheResource(CacheUseCase cache) {
        this.cache = cache;
    }

    /** What was cleared: the tenant, the regions and the id of the invalidation event. */
    @RegisterForReflection
    public record Cleared(String tenant, List<String> regions, String invalidationId) {}

    @DELETE
    public Cleared clearAll(@HeaderParam(Headers.TENANT) String tenant) {
        return view(cache.clear(Tenants.require(tenant), null));
    }

    @DELETE
    @Path("/{region}")
    public Cleared clear(@HeaderParam(Headers.TENANT) String tenant, @PathParam("region") String region) {
        return view(cache.clear(Tenants.require(tenant), region));
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
