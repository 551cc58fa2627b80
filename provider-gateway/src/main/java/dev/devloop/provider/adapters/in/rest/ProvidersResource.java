package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /v1/providers}: every provider with its configuration state, models and circuit state. */
@Path("/v1/providers")
public class ProvidersResource {
    private final ListProvidersUseCase providers;

    public ProvidersResource(ListProvidersUseCase providers) {
        this.providers = providers;
    }

    /** The response body. */
    @io.quarkus.runtime.annotations.RegisterForReflection(
            targets = {ProvidersResponse.class, ProviderView.class, ProviderView.Bulkhead.class})
    public record ProvidersResponse(List<ProviderView> providers, java.util.Map<String, List<String>> aliases) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ProvidersResponse list(@HeaderParam(Headers.TENANT) String tenant) {
        Tenants.require(tenant);
        java.util.Map<String, List<String>> aliases = new java.util.LinkedHashMap<>();
        providers
                .aliases()
                .forEach((alias, routes) ->
                        aliases.put(alias, routes.stream().map(Object::toString).toList()));
        return new ProvidersResponse(providers.providers(), aliases);
    }
}
