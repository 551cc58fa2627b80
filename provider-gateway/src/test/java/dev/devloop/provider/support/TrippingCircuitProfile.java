package dev.devloop.provider.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A circuit breaker that opens after four failed calls and stays open for ten minutes. */
public class TrippingCircuitProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "devloop.provider.retry.max-retries",
                "0",
                OpenAiStub.FT + "circuit-breaker.request-volume-threshold",
                "4",
                OpenAiStub.FT + "circuit-breaker.failure-ratio",
                "0.5",
                OpenAiStub.FT + "circuit-breaker.delay",
                "600");
    }
}
