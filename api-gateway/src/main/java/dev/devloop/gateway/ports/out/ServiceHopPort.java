package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.StreamedAnswer;
import java.util.concurrent.CompletionStage;

/** Outgoing port: one guarded HTTP call to a sibling service, always for exactly one tenant. */
public interface ServiceHopPort {

    /**
     * Sends {@code request} to {@code baseUrl} with the caller's tenant as {@code X-Devloop-Tenant}, its subject as
     * {@code X-Devloop-Subject} and a token signed for the target service acting for the caller (tenant, subject,
     * roles), and returns the answer verbatim; an unreachable, open-circuit, saturated or too-slow service is a
     * problem exception.
     */
    DownstreamResponse send(String baseUrl, Caller caller, HopRequest request);

    /**
     * As {@link #send} without blocking the calling thread (the event-loop fast path): the same guards, headers
     * and bounds; failures complete the stage exceptionally with the exceptions {@link #send} throws.
     */
    CompletionStage<DownstreamResponse> sendAsync(String baseUrl, Caller caller, HopRequest request);

    /**
     * Like {@link #send} but answers as soon as the status and headers arrived, with the body to be read as it
     * streams in; the returned answer holds the hop's bulkhead slot until closed. Never retried.
     */
    StreamedAnswer open(String baseUrl, Caller caller, HopRequest request);
}
