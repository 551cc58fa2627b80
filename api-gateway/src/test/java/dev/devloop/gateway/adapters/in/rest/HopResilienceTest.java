package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, retries (idempotent calls only), circuit breakers and bulkheads of the service hop. The
 * {@code flaky} cell's services are one WireMock server scripting failures the real services will not
 * produce on demand; each test uses its own tenant and path, so each has its own counts.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class HopResilienceTest {

    private static int sent(String tenant, String path) {
        return FlakyCell.server()
                .findAll(anyRequestedFor(urlPathEqualTo(path)).withHeader(Headers.TENANT, WireMock.equalTo(tenant)))
                .size();
    }

    @Test
    void readsAreRetriedOn503AndPassTheLastAnswerOnWritesAreNot() {
        String tenant = FlakyCell.TENANTS.get(0);
        FlakyCell.server()
                .stubFor(get(urlPathEqualTo("/tools/busy"))
                        .willReturn(aResponse()
                                .withStatus(503)
                                .withHeader("Content-Type", "application/problem+json")
                                .withBody("{\"status\":503,\"title\":\"busy\"}")));
        FlakyCell.server()
                .stubFor(post(urlPathEqualTo("/tools/busy/invocations"))
                        .willReturn(aResponse()
                                .withStatus(503)
                                .withHeader("Content-Type", "application/problem+json")
                                .withBody("{\"status\":503}")));

        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .when()
                .get("/api/v1/tools/busy")
                .then()
                .statusCode(503)
                .body("title", equalTo("busy"));
        assertThat(sent(tenant, "/tools/busy")).as("one try and two retries").isEqualTo(3);

        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .contentType("application/json")
                .body("{\"arguments\":{}}")
                .when()
                .post("/api/v1/tools/busy/invocations")
                .then()
                .statusCode(503);
        assertThat(sent(tenant, "/tools/busy/invocations"))
                .as("a POST is never retried")
                .isEqualTo(1);
    }

    @Test
    void aSlowServiceIsCutAtTheTimeoutAndADeadOneIsUnavailable() {
        String tenant = FlakyCell.TENANTS.get(1);
        FlakyCell.server()
                .stubFor(post(urlPathEqualTo("/tools"))
                        .willReturn(aResponse()
                                .withStatus(201)
                                .withFixedDelay(8000)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{}")));
        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .contentType("application/json")
                .body("{\"id\":\"slow_tool\"}")
                .when()
                .post("/api/v1/tools")
                .then()
                .statusCode(504)
                .contentType("application/problem+json")
                .body("type", containsString("dependency-timeout"));
        assertThat(sent(tenant, "/tools")).as("a timed-out POST is not retried").isEqualTo(1);

        FlakyCell.server()
                .stubFor(get(urlPathEqualTo("/documents/gone"))
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .when()
                .get("/api/v1/documents/gone")
                .then()
                .statusCode(503)
                .body("type", containsString("knowledge-service-unavailable"));
        // three guarded attempts; the JDK client itself re-sends a GET once when a pooled connection is reset
        assertThat(sent(tenant, "/documents/gone")).isBetween(3, 6);
    }

    @Test
    void repeatedFailuresOpenTheCircuitAndCallsStopReachingTheService() {
        String tenant = FlakyCell.TENANTS.get(2);
        FlakyCell.server()
                .stubFor(get(urlPathEqualTo("/v1/providers"))
                        .willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 4; i++) {
            given().auth().oauth2(Tokens.valid(tenant, "admin")).when().get("/api/v1/providers");
        }
        int before = sent(tenant, "/v1/providers");
        given().auth()
                .oauth2(Tokens.valid(tenant, "admin"))
                .when()
                .get("/api/v1/providers")
                .then()
                .statusCode(503)
                .body("type", containsString("dependency-unavailable"))
                .body("detail", containsString("circuit open"));
        assertThat(sent(tenant, "/v1/providers"))
                .as("an open circuit sends nothing")
                .isEqualTo(before);
    }

    @Test
    void aFullBulkheadLetsABoundedQueueWaitBrieflyThenRefuses() throws Exception {
        String tenant = FlakyCell.TENANTS.get(3);
        FlakyCell.server()
                .stubFor(post(urlPathEqualTo("/v1/generate"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withFixedDelay(3000)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"text\":\"ok\"}")));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> given().auth()
                                .oauth2(Tokens.valid(tenant, "admin"))
                                .contentType("application/json")
                                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                                .when()
                                .post("/api/v1/generate")
                                .statusCode(),
                        pool));
            }
            List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
            // max-concurrent=6, max-queued=2, queue-wait=300ms in tests: the slots stay taken for 3 s, so the two
            // queued calls give up and the rest are refused at once
            assertThat(statuses).as("max-concurrent=6 in tests").contains(200, 503);
            assertThat(statuses.stream().filter(s -> s == 200).count()).isLessThanOrEqualTo(6);
            assertThat(FlakyCell.server()
                            .findAll(anyRequestedFor(urlPathEqualTo("/v1/generate"))
                                    .withHeader(Headers.TENANT, WireMock.equalTo(tenant)))
                            .size())
                    .as("refused calls never left")
                    .isLessThanOrEqualTo(6);
        } finally {
            pool.shutdownNow();
        }
    }
}
