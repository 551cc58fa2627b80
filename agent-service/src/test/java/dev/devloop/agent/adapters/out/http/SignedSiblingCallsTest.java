package dev.devloop.agent.adapters.out.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.agent.domain.ComponentHealth;
import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every hop to a sibling carries a token this service signed for that sibling, acting for the run's tenant; the
 * System Health probe reads only the open {@code /q/} paths and sends none.
 */
@QuarkusTest
@TestProfile(WireMockSiblings.class)
class SignedSiblingCallsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ToolServiceCalls tools;

    @Inject
    ProviderGatewayCalls gateway;

    @Inject
    HttpHealthProbe probe;

    private static WireMockServer server() {
        return WireMockSiblings.server();
    }

    @BeforeEach
    void reset() {
        server().resetAll();
    }

    @Test
    void toolServiceCallsCarryATokenForToolServiceActingForTheTenant() {
        server().stubFor(get(urlPathEqualTo("/tools"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("[]")));
        server().stubFor(get(urlPathEqualTo("/tools/store_fact"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"store_fact\"}")));

        tools.specs("tenant-a", "assistant");
        tools.registration("tenant-b", "store_fact");

        JsonNode listing = claims(only(server().findAll(getRequestedFor(urlPathEqualTo("/tools")))));
        assertThat(listing.path("aud").asText()).isEqualTo("tool-service");
        assertThat(listing.path("azp").asText()).isEqualTo("agent-service");
        assertThat(listing.path("iss").asText()).isEqualTo("devloop-cell");
        assertThat(listing.path("tenant").asText()).isEqualTo("tenant-a");
        JsonNode registration = claims(only(server().findAll(getRequestedFor(urlPathEqualTo("/tools/store_fact")))));
        assertThat(registration.path("aud").asText()).isEqualTo("tool-service");
        assertThat(registration.path("tenant").asText()).isEqualTo("tenant-b");
    }

    @Test
    void providerGatewayCallsCarryATokenForProviderGatewayActingForTheTenant() throws Exception {
        server().stubFor(post(urlPathEqualTo("/v1/validate"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"allowed\":true}")));

        JsonNode answer = gateway.validate("tenant-a", JSON.readTree("{\"text\":\"hello\"}"));

        assertThat(answer.path("allowed").asBoolean()).isTrue();
        LoggedRequest call = only(server().findAll(postRequestedFor(urlPathEqualTo("/v1/validate"))));
        assertThat(call.getHeader(Headers.TENANT)).isEqualTo("tenant-a");
        JsonNode token = claims(call);
        assertThat(token.path("aud").asText()).isEqualTo("provider-gateway");
        assertThat(token.path("azp").asText()).isEqualTo("agent-service");
        assertThat(token.path("tenant").asText()).isEqualTo("tenant-a");
        assertThat(token.path("exp").asLong() - token.path("iat").asLong()).isBetween(1L, 60L);
    }

    @Test
    void theHealthProbeReadsOnlyOpenPathsAndSendsNoToken() {
        server().stubFor(get(urlPathEqualTo("/q/health"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"UP\",\"checks\":[]}")));
        server().stubFor(get(urlPathEqualTo("/q/metrics"))
                .willReturn(aResponse().withStatus(200).withBody("process_cpu_usage 0.5\n")));

        ComponentHealth health = probe.probe("tool-service", server().baseUrl());

        assertThat(health.status()).isEqualTo(ComponentHealth.Status.UP);
        List<LoggedRequest> calls = server().findAll(getRequestedFor(urlPathMatching("/.*")));
        assertThat(calls).extracting(LoggedRequest::getUrl).containsExactlyInAnyOrder("/q/health", "/q/metrics");
        assertThat(calls)
                .allSatisfy(r -> assertThat(r.containsHeader("Authorization")).isFalse());
    }

    private static LoggedRequest only(List<LoggedRequest> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static JsonNode claims(LoggedRequest request) {
        return TokenClaims.of(request.getHeader("Authorization"));
    }
}
