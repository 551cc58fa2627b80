package dev.devloop.agent.adapters.out.http;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Fault-tolerant calls to provider-gateway. Circuits stay open {@link SiblingCalls#CIRCUIT_DELAY_MS} like
 * tool-service's, so calls go through soon after the gateway returns. A model call is not retried here: the agent
 * loop waits out a provider-gateway outage itself (bounded, its time not charged to the run, the wait shown on it);
 * while the gateway is unreachable an open circuit answers its attempts at once.
 */
@ApplicationScoped
class ProviderGatewayCalls {
    static final String SERVICE = "provider-gateway";
    private final ProviderGatewayApi api;

    ProviderGatewayCalls(@RestClient ProviderGatewayApi api) {
        this.api = api;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200, jitter = 100, retryOn = DownstreamErrors.DownstreamUnreachableException.class)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.6,
            delay = SiblingCalls.CIRCUIT_DELAY_MS,
            failOn = DownstreamErrors.DownstreamUnreachableException.class)
    com.fasterxml.jackson.databind.JsonNode validate(String tenant, com.fasterxml.jackson.databind.JsonNode request) {
        return DownstreamErrors.http(SERVICE, () -> api.validate(tenant, request));
    }

    @WithSpan("call_llm")
    @Timeout(value = 180, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.6,
            delay = SiblingCalls.CIRCUIT_DELAY_MS,
            // only an unreachable gateway opens it: a 503 it answers itself (e.g. provider-not-configured) is a real
            // answer
            failOn = DownstreamErrors.DownstreamUnreachableException.class)
    GenerateResponse generate(String tenant, GenerateRequest request) {
        return DownstreamErrors.http(SERVICE, () -> api.generate(tenant, request));
    }
}
