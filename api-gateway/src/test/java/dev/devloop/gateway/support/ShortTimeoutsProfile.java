package dev.devloop.gateway.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Shrinks the agent-service timeouts so timeout behaviour is testable in about a second, and verifies tokens
 * against {@link JwksServer}'s JWKS instead of the PEM file: one profile (one more Quarkus start) for both.
 */
public class ShortTimeoutsProfile implements QuarkusTestProfile {
    private static final String CALLS =
            "quarkus.fault-tolerance.\"dev.devloop.gateway.adapters.out.http.AgentServiceCalls/";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(JwksServer.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                CALLS + "startRunAndWait\".timeout.value",
                "1000",
                CALLS + "getRun\".timeout.value",
                "1000",
                "quarkus.rest-client.agent-service.read-timeout",
                "3000",
                "devloop.gateway.agent-service.readiness-timeout",
                "1s");
    }
}
