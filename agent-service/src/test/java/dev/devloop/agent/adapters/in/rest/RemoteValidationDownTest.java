package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote-validation guardrails through the real provider-gateway adapter (REST client, timeout, retry,
 * circuit breaker) while provider-gateway is down (its URL is a closed port): the fail-closed policy
 * blocks the run naming itself, the fail-open one records that the answer went unchecked.
 */
@QuarkusTest
@TestProfile(RemoteValidationDownTest.GatewayDown.class)
class RemoteValidationDownTest {

    /** Remote policies on, provider-gateway's URL pointing at a port nothing listens on. */
    public static class GatewayDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "devloop.agent.safety-resource",
                    "test-remote-safety.json",
                    "quarkus.rest-client.provider-gateway.url",
                    "http://127.0.0.1:" + closedPort());
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    TestPorts.Model model;

    @Inject
    TestPorts.Tools tools;

    private final String tenant = "t-" + UUID.randomUUID();

    @BeforeEach
    void reset() {
        model.reset();
        tools.reset();
    }

    @Test
    void failClosedBlocksAndFailOpenLogsWhenProviderGatewayIsDown() {
        model.answer("the answer");
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"q\"}")
                .post("/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("GUARDRAIL_BLOCKED"))
                .body("error", containsString("gateway-validate-closed"))
                .body("error", containsString("fail-closed"))
                .body("steps[1].kind", equalTo("guardrail"))
                .body("steps[1].status", equalTo("BLOCK"));

        model.answer("the plan");
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body("{\"input\":\"q\"}")
                .post("/agents/planner/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("result", equalTo("the plan"))
                .body("steps[1].policy", equalTo("gateway-validate-open"))
                .body("steps[1].status", equalTo("LOG"))
                .body("steps[1].error", containsString("provider-gateway"));
    }
}
