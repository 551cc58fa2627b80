package dev.devloop.tools.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which service an administrative endpoint's calls are signed for: named by the entry, else found by the URL. */
class AdminEndpointOwnerTest {
    private static final Map<String, URI> SERVICES = Map.of(
            "knowledge-service", URI.create("http://127.0.0.1:8082"),
            "provider-gateway", URI.create("http://127.0.0.1:8084"),
            "agent-service", URI.create("http://agents.internal"));

    @Test
    void theNamedServiceWins() {
        assertThat(ToolServiceWiring.owner(
                        SERVICES, "caches.x", Optional.of("Provider-Gateway"), "http://127.0.0.1:8082/cache"))
                .isEqualTo("provider-gateway");
    }

    @Test
    void unnamedIsTheServiceWithTheUrlsOrigin() {
        assertThat(ToolServiceWiring.owner(SERVICES, "caches.x", Optional.empty(), "http://127.0.0.1:8084/v1/cache"))
                .isEqualTo("provider-gateway");
        assertThat(ToolServiceWiring.owner(SERVICES, "caches.x", Optional.empty(), "http://agents.internal:80/cache"))
                .isEqualTo("agent-service");
    }

    @Test
    void anUnknownNameOrAnUnmatchedUrlStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> ToolServiceWiring.owner(
                        SERVICES, "caches.x", Optional.of("redis"), "http://127.0.0.1:8084/v1/cache"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("devloop.tools.operations.caches.x.service: 'redis' is not a service");
        // same host, another port: no service owns it, and none is guessed
        assertThatThrownBy(() -> ToolServiceWiring.owner(
                        SERVICES, "settings.\"k\"", Optional.empty(), "http://127.0.0.1:9999/v1/settings/k"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "devloop.tools.operations.settings.\"k\".service is required: "
                                + "http://127.0.0.1:9999/v1/settings/k is the URL of no service of devloop.tools.network.services");
    }
}
