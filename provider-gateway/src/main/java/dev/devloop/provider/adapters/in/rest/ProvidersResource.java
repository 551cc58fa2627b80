package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.in.ResetCircuitUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/providers}: every provider with its configuration state, models and circuit state;
 * {@code POST /v1/providers/{name}/circuit/reset}: closes that provider's circuit (who may do it is tool-service's check).
 */
@Tag(name = "Providers", description = "The configured providers, their circuits and the aliases")
@Path("/v1/providers")
public class ProvidersResource {
    private final ListProvidersUseCase providers;
    private final ResetCircuitUseCase circuits;
    private final Caller caller;

    public ProvidersResource(ListProvidersUseCase providers, ResetCircuitUseCase circuits, Caller caller) {
        this.providers = providers;
        this.circuits = circuits;
        this.caller = caller;
    }

    /** The response body. */
    @io.quarkus.runtime.annotations.RegisterForReflection(
            targets = {ProvidersResponse.class, ProviderView.class, ProviderView.Bulkhead.class})
    public record ProvidersResponse(List<ProviderView> providers, java.util.Map<String, List<String>> aliases) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The providers with their models, circuit and bulkhead, and the aliases")
    public ProvidersResponse list() {
        caller.tenant(); // a tenant-less call is refused like every other route
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
    @APIResponse(
            responseCode = "404",
            description = "No provider of that name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Operation(summary = "Close a provider's circuit breaker now")
    public CircuitResetResponse resetCircuit(@PathParam("name") String name) {
        ResetCircuitUseCase.CircuitReset reset = circuits.resetCircuit(caller.tenant(), name);
        return new CircuitResetResponse(reset.provider(), reset.before(), reset.after());
    }
}
