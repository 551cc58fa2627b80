package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.in.ResetCircuitUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /v1/providers}: every provider with its configuration state, models and circuit state;
 * {@code POST /v1/providers/{name}/circuit/reset}: closes that provider's circuit (who may do it is tool-service's check).
 */
@Path("/v1/providers")
public class ProvidersResource {
    private final ListProvidersUseCase providers;
    private final ResetCircuitUseCase circuits;

    public ProvidersResource(ListProvidersUseCase providers, ResetCircuitUseCase circuits) {
        this.providers = providers;
        this.circuits = circuits;
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

    /** The response body of a circuit reset. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record CircuitResetResponse(String provider, String before, String after) {}

    @POST
    @Path("/{name}/circuit/reset")
    @Produces(MediaType.APPLICATION_JSON)
    public CircuitResetResponse resetCircuit(
            @HeaderParam(Headers.TENANT) String tenant, @PathParam("name") String name) {
        Tenants.require(tenant);
        ResetCircuitUseCase.CircuitReset reset = circuits.resetCircuit(tenant, name);
        return new CircuitResetResponse(reset.provider(), reset.before(), reset.after());
    }
}
