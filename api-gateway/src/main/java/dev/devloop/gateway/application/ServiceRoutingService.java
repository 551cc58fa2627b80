package dev.devloop.gateway.application;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.StreamedAnswer;
import dev.devloop.gateway.ports.in.ForwardResult;
import dev.devloop.gateway.ports.in.RouteServiceCallsUseCase;
import dev.devloop.gateway.ports.out.ServiceHopPort;
import java.util.concurrent.CompletionStage;

/**
 * Forwards a validated call to the service in the caller's tenant's cell, acting for the caller (tenant, subject
 * and roles from its token only); keyed POSTs go through the Idempotency-Key protocol.
 */
public final class ServiceRoutingService implements RouteServiceCallsUseCase {
    private final ServiceHopPort hop;
    private final CellRouting cells;
    private final IdempotentCalls idempotency;

    public ServiceRoutingService(ServiceHopPort hop, CellRouting cells, IdempotentCalls idempotency) {
        this.hop = hop;
        this.cells = cells;
        this.idempotency = idempotency;
    }

    @Override
    public ForwardResult forward(Caller caller, HopRequest request, String idempotencyKey) {
        String baseUrl = cells.baseUrl(caller.tenant(), request.service());
        String key = "POST".equals(request.method()) ? idempotencyKey : null;
        String target = request.method() + " " + request.service().id() + request.path()
                + (request.query() == null ? "" : "?" + request.query());
        return idempotency.run(
                caller,
                key,
                IdempotentCalls.fingerprint(target, request.body()),
                () -> hop.send(baseUrl, caller, request));
    }

    @Override
    public CompletionStage<DownstreamResponse> forwardAsync(Caller caller, HopRequest request) {
        return hop.sendAsync(cells.baseUrl(caller.tenant(), request.service()), caller, request);
    }

    @Override
    public StreamedAnswer stream(Caller caller, HopRequest request) {
        return hop.open(cells.baseUrl(caller.tenant(), request.service()), caller, request);
    }
}
