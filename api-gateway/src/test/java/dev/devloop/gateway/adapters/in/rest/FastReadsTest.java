package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.support.AgentServiceStub;
import dev.devloop.gateway.support.FlakyCell;
import dev.devloop.gateway.support.LogCapture;
import dev.devloop.gateway.support.RealServices;
import dev.devloop.gateway.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x fast route of {@code GET /api/v1/agent-types} and the JAX-RS route answer the same (status, headers,
 * body) for a success and for every refusal. A request with {@code X-API-Version: 1} is the same request to the API
 * but is left to the JAX-RS route; the route's counters show which of the two answered.
 */
@QuarkusTest
@QuarkusTestResource(RealServices.class)
@QuarkusTestResource(FlakyCell.class)
@QuarkusTestResource(AgentServiceStub.class)
class FastReadsTest {
    private static final String PATH = "/api/v1/agent-types";
    /** Differ per request by nature: the trace, the time, and the counts and seconds left in a window. */
    private static final Set<String> PER_REQUEST =
            Set.of("date", "x-devloop-trace-id", "ratelimit-remaining", "ratelimit-reset", "retry-after");

    @Inject
    FastReads fast;

    private record Answer(int status, Map<String, List<String>> headers, String body, Response raw) {}

    private static Answer answer(Response response) {
        Map<String, List<String>> headers = new TreeMap<>();
        response.headers()
                .forEach(h -> headers.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .add(h.getValue()));
        return new Answer(response.statusCode(), headers, response.asString(), response);
    }

    /** The read through the fast route (when it takes it) and through JAX-RS, each with its own request spec. */
    private Answer[] bothWays(RequestSpecification fastRequest, RequestSpecification jaxRsRequest) {
        Answer viaFast = answer(fastRequest.when().get(PATH));
        Answer viaJaxRs =
                answer(jaxRsRequest.header(ApiVersionFilters.HEADER, "1").when().get(PATH));
        return new Answer[] {viaFast, viaJaxRs};
    }

    private static void assertSame(Answer viaFast, Answer viaJaxRs) {
        assertThat(viaFast.status()).isEqualTo(viaJaxRs.status());
        assertThat(viaFast.body()).isEqualTo(viaJaxRs.body());
        Map<String, List<String>> fastHeaders = new TreeMap<>(viaFast.headers());
        Map<String, List<String>> jaxRsHeaders = new TreeMap<>(viaJaxRs.headers());
        for (String name : PER_REQUEST) {
            assertThat(fastHeaders.containsKey(name))
                    .as("both answers have %s or neither", name)
                    .isEqualTo(jaxRsHeaders.containsKey(name));
            fastHeaders.remove(name);
            jaxRsHeaders.remove(name);
        }
        assertThat(fastHeaders).isEqualTo(jaxRsHeaders);
        assertThat(viaFast.raw().header(Headers.TRACE_ID)).matches("[0-9a-f]{32}");
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).header("Accept-Encoding", "identity");
    }

    private static long delta(LongSupplier counter, Runnable run) {
        long before = counter.getAsLong();
        run.run();
        return counter.getAsLong() - before;
    }

    @Test
    void aListReadIsServedByTheFastRouteExactlyAsByJaxRsWithItsAuditLine() {
        String tenant = RealServices.STACK_TENANTS.get(0);
        String subject = "fast-" + UUID.randomUUID();
        String token = Tokens.validFor(tenant, subject, "admin");
        Answer[] answers = new Answer[2];
        try (LogCapture log = new LogCapture()) {
            long served = delta(fast::served, () -> {
                Answer[] both = bothWays(bearer(token), bearer(token));
                answers[0] = both[0];
                answers[1] = both[1];
            });
            assertThat(served)
                    .as("the first read went through the fast route, the second did not")
                    .isEqualTo(1);
            assertThat(log.withMessage("route forwarded"))
                    .extracting(LogCapture.Line::fields)
                    .filteredOn(fields -> subject.equals(fields.get("subject")))
                    .hasSize(2)
                    .allSatisfy(fields -> {
                        assertThat(fields).containsEntry("route", "GET /api/v1/agent-types");
                        assertThat(fields).containsEntry("status", "200");
                        assertThat(fields).containsEntry("decision", "allow");
                    });
        }
        assertThat(answers[0].status()).isEqualTo(200);
        assertThat(answers[0].raw().jsonPath().getList("items")).isNotEmpty();
        assertThat(answers[0].raw().header(ApiVersionFilters.HEADER)).isEqualTo("1");
        assertThat(answers[0].raw().header("RateLimit-Limit")).isNotBlank();
        assertSame(answers[0], answers[1]);
    }

    @Test
    void compressionAndSecurityHeadersAreTheSameOnBothRoutes() {
        String token = Tokens.valid(RealServices.STACK_TENANTS.get(1), "viewer");
        Answer viaFast = answer(given().header("Authorization", "Bearer " + token)
                .header("Accept-Encoding", "gzip")
                .when()
                .get(PATH));
        Answer viaJaxRs = answer(given().header("Authorization", "Bearer " + token)
                .header("Accept-Encoding", "gzip")
                .header(ApiVersionFilters.HEADER, "1")
                .when()
                .get(PATH));
        assertThat(viaFast.headers())
                .containsKeys("x-content-type-options", "content-security-policy", "cache-control");
        assertThat(viaFast.raw().header("Content-Encoding")).isEqualTo("gzip");
        assertSame(viaFast, viaJaxRs);
    }

    @Test
    void theTenantComesFromTheTokenOnlyAndDownstreamErrorsAreHandedToJaxRs() {
        String tenant = FlakyCell.OBSERVED_TENANTS.get(1);
        String subject = "fast-" + UUID.randomUUID();
        FlakyCell.observed()
                .stubFor(get(urlPathEqualTo("/agent-types"))
                        .withHeader(Headers.SUBJECT, equalTo(subject))
                        .willReturn(aResponse()
                                .withStatus(404)
                                .withHeader("Content-Type", "application/problem+json")
                                .withBody("{\"type\":\"https://devloop.dev/problems/not-found\",\"status\":404}")));
        String token = Tokens.validFor(tenant, subject, "viewer");
        long handedOver = delta(fast::handedOver, () -> {
            Answer[] both = bothWays(
                    bearer(token).header(Headers.TENANT, "someone-else"),
                    bearer(token).header(Headers.TENANT, "someone-else"));
            assertThat(both[0].status()).isEqualTo(404);
            assertThat(both[0].raw().contentType()).startsWith("application/problem+json");
            assertSame(both[0], both[1]);
        });
        assertThat(handedOver).isEqualTo(1);
        FlakyCell.observed()
                .verify(
                        2,
                        getRequestedFor(urlPathEqualTo("/agent-types"))
                                .withHeader(Headers.SUBJECT, equalTo(subject))
                                .withHeader(Headers.TENANT, equalTo(tenant)));
    }

    @Test
    void refusalsBeforeTheRateLimitAreLeftToJaxRsAndAnswerTheSame() {
        String tenant = Tokens.newTenant();
        Map<String, RequestSpecification[]> refused = Map.of(
                "no token", new RequestSpecification[] {given(), given()},
                "bad signature",
                        new RequestSpecification[] {
                            bearer(Tokens.wrongSignature(tenant, "admin")),
                            bearer(Tokens.wrongSignature(tenant, "admin"))
                        },
                "alg none",
                        new RequestSpecification[] {
                            bearer(Tokens.algNone(tenant, "admin")), bearer(Tokens.algNone(tenant, "admin"))
                        },
                "role not allowed",
                        new RequestSpecification[] {
                            bearer(Tokens.valid(tenant, "guest")), bearer(Tokens.valid(tenant, "guest"))
                        },
                "no tenant claim",
                        new RequestSpecification[] {
                            bearer(Tokens.valid(null, "viewer")), bearer(Tokens.valid(null, "viewer"))
                        });
        Map<String, Integer> expected = Map.of(
                "no token",
                401,
                "bad signature",
                401,
                "alg none",
                401,
                "role not allowed",
                403,
                "no tenant claim",
                403);
        refused.forEach((kind, requests) -> {
            // both requests pass the fast route, which leaves them to JAX-RS before anything is counted
            long served = fast.served();
            long steppedAside = delta(fast::steppedAside, () -> {
                Answer[] both = bothWays(requests[0], requests[1]);
                assertThat(both[0].status()).as(kind).isEqualTo(expected.get(kind));
                assertThat(both[0].raw().contentType()).as(kind).startsWith("application/problem+json");
                assertSame(both[0], both[1]);
                if (both[0].status() == 401) {
                    assertThat(both[0].raw().header("WWW-Authenticate"))
                            .as(kind)
                            .startsWith("Bearer");
                }
            });
            assertThat(steppedAside).as(kind).isEqualTo(2);
            assertThat(fast.served()).as(kind).isEqualTo(served);
        });
    }

    @Test
    void aCallerOverItsLimitGets429WithRetryAfterOnBothRoutes() {
        String tenant = RealServices.STACK_TENANTS.get(0);
        // viewers may read 3 times per window in tests; each route's client has a window of its own
        String viaFastToken = Tokens.validFor(tenant, "fast-" + UUID.randomUUID(), "viewer");
        String viaJaxRsToken = Tokens.validFor(tenant, "jaxrs-" + UUID.randomUUID(), "viewer");
        for (int i = 0; i < 3; i++) {
            Answer[] both = bothWays(bearer(viaFastToken), bearer(viaJaxRsToken));
            assertThat(both[0].status()).isEqualTo(200);
            assertSame(both[0], both[1]);
        }
        long handedOver = delta(fast::handedOver, () -> {
            Answer[] both = bothWays(bearer(viaFastToken), bearer(viaJaxRsToken));
            assertThat(both[0].status()).isEqualTo(429);
            assertThat(both[0].raw().header("Retry-After")).matches("[0-9]+");
            assertThat(both[0].raw().header("RateLimit-Remaining")).isEqualTo("0");
            assertThat(both[0].raw().jsonPath().getString("type")).endsWith("/rate-limited");
            // the seconds left in each window may differ by one between the two clients
            assertSame(normalisedDetail(both[0]), normalisedDetail(both[1]));
        });
        assertThat(handedOver).isEqualTo(1);
    }

    private static Answer normalisedDetail(Answer answer) {
        return new Answer(
                answer.status(),
                answer.headers(),
                answer.body().replaceAll("retry in [0-9]+ s", "retry in N s"),
                answer.raw());
    }
}
