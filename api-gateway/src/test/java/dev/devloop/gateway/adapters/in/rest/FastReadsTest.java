package dev.devloop.gateway.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vert.x fast route and the JAX-RS route answer the same (status, headers, body) for a success and for every
 * refusal, for every row of {@link HotReads} (the parameterised tests; the others go deeper on the agent-types list).
 * A request with {@code X-API-Version: 1} is the same request to the API but is left to the JAX-RS route; the
 * route's counters show which of the two answered.
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

    @Inject
    MeterRegistry metrics;

    /** One request of a row: the public path with sample values, a good query, a malformed request, the hop. */
    private record Case(String path, String query, String badPathOrQuery, String downstream, boolean list) {
        String target() {
            return query.isEmpty() ? path : path + "?" + query;
        }
    }

    private static final Map<HotReads, Case> CASES = new EnumMap<>(HotReads.class);

    static {
        CASES.put(HotReads.AGENT_TYPES, new Case(PATH, "limit=1&fields=id", PATH + "?limit=abc", "/agent-types", true));
        CASES.put(
                HotReads.AGENT_TYPE,
                new Case(PATH + "/sre", "fields=id", PATH + "/sre?fields=1x", "/agent-types/sre", false));
        CASES.put(
                HotReads.AGENT_TYPE_VERSIONS,
                new Case(
                        PATH + "/sre/versions",
                        "limit=1",
                        PATH + "/sre/versions?limit=-1",
                        "/agent-types/sre/versions",
                        true));
        CASES.put(
                HotReads.AGENTS,
                new Case("/api/v1/agents", "status=running&limit=1", "/api/v1/agents?parentId=a!b", "/agents", true));
        CASES.put(
                HotReads.APPROVALS,
                new Case(
                        "/api/v1/approvals",
                        "status=pending&limit=1",
                        "/api/v1/approvals?status=maybe",
                        "/approvals",
                        true));
        CASES.put(
                HotReads.APPROVAL,
                new Case("/api/v1/approvals/ap-1", "fields=id", "/api/v1/approvals/ap!1", "/approvals/ap-1", false));
        CASES.put(
                HotReads.HANDOFF, new Case("/api/v1/handoffs/h-1", "", "/api/v1/handoffs/h!1", "/handoffs/h-1", false));
        CASES.put(
                HotReads.TOOLS,
                new Case(
                        "/api/v1/tools",
                        "agentType=sre&limit=1",
                        "/api/v1/tools?limit=99999999999999999999",
                        "/tools",
                        true));
        CASES.put(
                HotReads.TOOL,
                new Case("/api/v1/tools/t-1", "fields=id", "/api/v1/tools/t-1?fields=1x", "/tools/t-1", false));
        CASES.put(
                HotReads.USAGE,
                new Case("/api/v1/usage", "groupBy=provider", "/api/v1/usage?groupBy=colour", "/v1/usage", false));
        CASES.put(
                HotReads.ROADMAP_NODES,
                new Case(
                        "/api/v1/roadmap/nodes",
                        "level=task&limit=1",
                        "/api/v1/roadmap/nodes?level=epic",
                        "/roadmap/nodes",
                        true));
        CASES.put(
                HotReads.ROADMAP_NODE,
                new Case(
                        "/api/v1/roadmap/nodes/n-1",
                        "fields=id",
                        "/api/v1/roadmap/nodes/n!1",
                        "/roadmap/nodes/n-1",
                        false));
        CASES.put(
                HotReads.ROADMAP_PROGRESS,
                new Case(
                        "/api/v1/roadmap/nodes/n-1/progress",
                        "",
                        "/api/v1/roadmap/nodes/n!1/progress",
                        "/roadmap/nodes/n-1/progress",
                        false));
        CASES.put(
                HotReads.ROADMAP_TREE,
                new Case(
                        "/api/v1/roadmap/nodes/n-1/tree",
                        "depth=2",
                        "/api/v1/roadmap/nodes/n-1/tree?depth=9",
                        "/roadmap/nodes/n-1/tree",
                        false));
        CASES.put(
                HotReads.ROADMAP_READY,
                new Case(
                        "/api/v1/roadmap/ready",
                        "level=task&limit=1",
                        "/api/v1/roadmap/ready?under=a!b",
                        "/roadmap/ready",
                        true));
        CASES.put(
                HotReads.ROADMAP_ORDER,
                new Case(
                        "/api/v1/roadmap/order",
                        "level=feature",
                        "/api/v1/roadmap/order?level=epic",
                        "/roadmap/order",
                        false));
        CASES.put(
                HotReads.CRITICAL_PATH,
                new Case(
                        "/api/v1/roadmap/milestones/m-1/critical-path",
                        "",
                        "/api/v1/roadmap/milestones/m!1/critical-path",
                        "/roadmap/milestones/m-1/critical-path",
                        false));
    }

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
        return bothWays(PATH, fastRequest, jaxRsRequest);
    }

    private Answer[] bothWays(String target, RequestSpecification fastRequest, RequestSpecification jaxRsRequest) {
        Answer viaFast = answer(fastRequest.when().get(target));
        Answer viaJaxRs =
                answer(jaxRsRequest.header(ApiVersionFilters.HEADER, "1").when().get(target));
        return new Answer[] {viaFast, viaJaxRs};
    }

    /** {@link #bothWays} with the two requests in flight together (for answers that take the hop's timeouts). */
    private Answer[] bothWaysAtOnce(RequestSpecification fastRequest, RequestSpecification jaxRsRequest) {
        CompletableFuture<Answer> viaFast =
                CompletableFuture.supplyAsync(() -> answer(fastRequest.when().get(PATH)));
        Answer viaJaxRs =
                answer(jaxRsRequest.header(ApiVersionFilters.HEADER, "1").when().get(PATH));
        return new Answer[] {viaFast.join(), viaJaxRs};
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
    void aTokenVerifiedMomentsAgoSkipsTheAuthenticationChainAndIsAnsweredAsByJaxRs() {
        String tenant = RealServices.STACK_TENANTS.get(1);
        String admin = Tokens.validFor(tenant, "known-" + UUID.randomUUID(), "admin");
        String guest = Tokens.valid(tenant, "guest");
        String noTenant = Tokens.valid(null, "viewer");
        for (String token : List.of(admin, guest, noTenant)) { // JAX-RS verifies each once; the cache remembers it
            given().header("Authorization", "Bearer " + token)
                    .header(ApiVersionFilters.HEADER, "1")
                    .when()
                    .get(PATH);
        }
        long known = delta(fast::knownCallers, () -> {
            long served = delta(fast::served, () -> {
                Answer[] both = bothWays(bearer(admin), bearer(admin));
                assertThat(both[0].status()).isEqualTo(200);
                assertSame(both[0], both[1]);
            });
            assertThat(served)
                    .as("the known caller's read was served by the fast route")
                    .isEqualTo(1);
            long steppedAside = delta(fast::steppedAside, () -> {
                Answer[] both = bothWays(bearer(guest), bearer(guest));
                assertThat(both[0].status())
                        .as("a known token with a role the row does not take")
                        .isEqualTo(403);
                assertSame(both[0], both[1]);
                Answer[] noClaim = bothWays(bearer(noTenant), bearer(noTenant));
                assertThat(noClaim[0].status())
                        .as("a verified token the edge refuses")
                        .isEqualTo(403);
                assertSame(noClaim[0], noClaim[1]);
            });
            assertThat(steppedAside).isEqualTo(4);
        });
        assertThat(known)
                .as("admin and guest came from the cache; the token without a tenant makes no caller")
                .isEqualTo(2);
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

    @Test
    void everyRowHasACase() {
        assertThat(CASES.keySet()).containsExactlyInAnyOrder(HotReads.values());
    }

    /** The sibling in the {@code observed} cell answers {@code status} with {@code body} to this subject only. */
    private static void stub(Case c, String subject, int status, String contentType, String body) {
        FlakyCell.observed()
                .stubFor(get(urlPathEqualTo(c.downstream()))
                        .withHeader(Headers.SUBJECT, equalTo(subject))
                        .willReturn(aResponse()
                                .withStatus(status)
                                .withHeader("Content-Type", contentType)
                                .withBody(body)));
    }

    /**
     * A list answer of many socket reads, sent with a {@code Content-Length} (read into one array of that size) and
     * chunked without one (read into a growing buffer): both pages are the same bytes as JAX-RS serves, and each
     * hop is timed once under its status class (stop 39: the exchange's body, the page and the hop timer's key).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLargeListInManyChunksIsPagedExactlyAsByJaxRsAndEachHopIsTimedOnce(boolean withLength) {
        Case c = CASES.get(HotReads.AGENT_TYPES);
        String subject = "large-" + UUID.randomUUID();
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 3000; i++) {
            list.append(i == 0 ? "" : ",\n ")
                    .append("{\"id\":\"t-")
                    .append(i)
                    .append("\",\"name\":\"")
                    .append("x".repeat(20 + i % 7))
                    .append("\"}");
        }
        String body = list.append("]").toString();
        FlakyCell.observed()
                .stubFor(get(urlPathEqualTo(c.downstream()))
                        .withHeader(Headers.SUBJECT, equalTo(subject))
                        .willReturn(
                                withLength
                                        ? aResponse()
                                                .withStatus(200)
                                                .withHeader("Content-Type", "application/json")
                                                .withHeader("Content-Length", Integer.toString(body.length()))
                                                .withBody(body)
                                        : aResponse()
                                                .withStatus(200)
                                                .withHeader("Content-Type", "application/json")
                                                .withChunkedDribbleDelay(8, 20)
                                                .withBody(body)));
        String token = Tokens.validFor(FlakyCell.FAST_READS_TENANT, subject, "viewer");
        double hops = hopCount("2xx");
        Answer[] answers = new Answer[2];
        long served = delta(fast::served, () -> {
            Answer[] both = bothWays("/api/v1/agent-types?limit=100", bearer(token), bearer(token));
            answers[0] = both[0];
            answers[1] = both[1];
        });
        assertThat(served).isEqualTo(1);
        assertThat(answers[0].status()).isEqualTo(200);
        assertSame(answers[0], answers[1]);
        assertThat(answers[0].body()).startsWith("{\"items\":[{\"id\":\"t-0\"").contains("\"id\":\"t-99\"");
        assertThat(answers[0].body()).doesNotContain("\"id\":\"t-100\"").doesNotContain("\"nextCursor\":null");
        assertThat(hopCount("2xx") - hops).isEqualTo(2.0); // the fast read's hop and the JAX-RS read's
    }

    /** Hops to agent-service's reads timed under {@code outcome}, over every instance. */
    private double hopCount(String outcome) {
        return metrics
                .find("devloop_gateway_hop_seconds")
                .tags("service", "agent-service", "method", "GET", "outcome", outcome)
                .timers()
                .stream()
                .mapToDouble(Timer::count)
                .sum();
    }

    @ParameterizedTest
    @EnumSource(HotReads.class)
    void eachRowIsServedExactlyAsByJaxRsWithItsAuditLineMetricAndTrace(HotReads row) {
        Case c = CASES.get(row);
        String tenant = FlakyCell.FAST_READS_TENANT;
        String subject = "hot-" + UUID.randomUUID();
        stub(
                c,
                subject,
                200,
                "application/json",
                c.list()
                        ? "[{\"id\":\"a\",\"name\":\"x\"},{\"id\":\"b\",\"name\":\"y\"}]"
                        : "{\"id\":\"a\",\"name\":\"x\"}");
        String token = Tokens.validFor(tenant, subject, "viewer");
        Timer timer = metrics.find("devloop_gateway_fast_read_seconds")
                .tags("route", row.template(), "outcome", "served")
                .timer();
        long timed = timer == null ? 0 : timer.count();
        Answer[] answers = new Answer[2];
        try (LogCapture log = new LogCapture()) {
            long served = delta(fast::served, () -> {
                Answer[] both = bothWays(
                        c.target(),
                        bearer(token).header(Headers.TENANT, "someone-else"),
                        bearer(token).header(Headers.TENANT, "someone-else"));
                answers[0] = both[0];
                answers[1] = both[1];
            });
            assertThat(served)
                    .as(row + ": the first read took the fast route, the second did not")
                    .isEqualTo(1);
            assertThat(log.withMessage("route forwarded"))
                    .extracting(LogCapture.Line::fields)
                    .filteredOn(fields -> subject.equals(fields.get("subject")))
                    .hasSize(2)
                    .allSatisfy(fields -> {
                        assertThat(fields).containsEntry("route", row.route());
                        assertThat(fields).containsEntry("tenant", tenant);
                        assertThat(fields).containsEntry("status", "200");
                    });
        }
        assertThat(answers[0].status()).as(row.name()).isEqualTo(200);
        assertSame(answers[0], answers[1]);
        assertThat(metrics.find("devloop_gateway_fast_read_seconds")
                        .tags("route", row.template(), "outcome", "served")
                        .timer()
                        .count())
                .isEqualTo(timed + 1);
        // the tenant from the token only, and the caller's trace carried to the sibling
        FlakyCell.observed()
                .verify(
                        2,
                        getRequestedFor(urlPathEqualTo(c.downstream()))
                                .withHeader(Headers.SUBJECT, equalTo(subject))
                                .withHeader(Headers.TENANT, equalTo(tenant)));
        FlakyCell.observed()
                .verify(
                        1,
                        getRequestedFor(urlPathEqualTo(c.downstream()))
                                .withHeader(Headers.SUBJECT, equalTo(subject))
                                .withHeader(
                                        "traceparent",
                                        containing(answers[0].raw().header(Headers.TRACE_ID))));
    }

    @ParameterizedTest
    @EnumSource(HotReads.class)
    void eachRowHandsADownstreamProblemToJaxRs(HotReads row) {
        Case c = CASES.get(row);
        String subject = "hot-" + UUID.randomUUID();
        stub(
                c,
                subject,
                404,
                "application/problem+json",
                "{\"type\":\"https://devloop.dev/problems/not-found\",\"status\":404}");
        String token = Tokens.validFor(FlakyCell.FAST_READS_TENANT, subject, "operator");
        long handedOver = delta(fast::handedOver, () -> {
            Answer[] both = bothWays(c.target(), bearer(token), bearer(token));
            assertThat(both[0].status()).as(row.name()).isEqualTo(404);
            assertThat(both[0].raw().contentType()).startsWith("application/problem+json");
            assertSame(both[0], both[1]);
        });
        assertThat(handedOver).as(row.name()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(HotReads.class)
    void eachRowLeavesRefusalsAndMalformedValuesToJaxRs(HotReads row) {
        Case c = CASES.get(row);
        String tenant = FlakyCell.FAST_READS_TENANT;
        Map<String, String> tokens = new TreeMap<>();
        tokens.put("401 no token", null);
        tokens.put("401 alg none", Tokens.algNone(tenant, "viewer"));
        tokens.put("403 role not allowed", Tokens.valid(tenant, "guest"));
        tokens.put("403 no tenant claim", Tokens.valid(null, "viewer"));
        tokens.put("400 malformed", Tokens.valid(tenant, "viewer"));
        tokens.forEach((kind, token) -> {
            String target = kind.startsWith("400") ? c.badPathOrQuery() : c.target();
            long served = fast.served();
            Answer[] both =
                    bothWays(target, token == null ? given() : bearer(token), token == null ? given() : bearer(token));
            assertThat(both[0].status()).as(row + " " + kind).isEqualTo(Integer.parseInt(kind.substring(0, 3)));
            assertThat(both[0].raw().contentType()).as(row + " " + kind).startsWith("application/problem+json");
            assertSame(both[0], both[1]);
            assertThat(fast.served()).as(row + " " + kind).isEqualTo(served);
        });
    }

    @ParameterizedTest
    @EnumSource(HotReads.class)
    void eachRowAnswers429WithRetryAfterAsJaxRs(HotReads row) {
        Case c = CASES.get(row);
        String tenant = FlakyCell.FAST_READS_TENANT;
        String viaFast = "hot-fast-" + UUID.randomUUID();
        String viaJaxRs = "hot-jaxrs-" + UUID.randomUUID();
        String body = c.list() ? "[]" : "{}";
        stub(c, viaFast, 200, "application/json", body);
        stub(c, viaJaxRs, 200, "application/json", body);
        String fastToken = Tokens.validFor(tenant, viaFast, "viewer");
        String jaxRsToken = Tokens.validFor(tenant, viaJaxRs, "viewer");
        for (int i = 0; i < 3; i++) { // viewers may read 3 times per window in tests
            Answer[] both = bothWays(c.target(), bearer(fastToken), bearer(jaxRsToken));
            assertThat(both[0].status()).as(row.name()).isEqualTo(200);
        }
        Answer[] both = bothWays(c.target(), bearer(fastToken), bearer(jaxRsToken));
        assertThat(both[0].status()).as(row.name()).isEqualTo(429);
        assertThat(both[0].raw().header("Retry-After")).matches("[0-9]+");
        assertSame(normalisedDetail(both[0]), normalisedDetail(both[1]));
    }

    @ParameterizedTest
    @EnumSource(HotReads.class)
    void eachRowAnswers503WithRetryAfterWhenTheSiblingIsDownAsJaxRs(HotReads row) {
        Case c = CASES.get(row);
        // a cell of its own per row and way: a first failure may open a cell's circuit, and the second request would
        // then meet another state, not another route; the two cells differ in their closed port only
        String fastToken = Tokens.valid(FlakyCell.deadTenant(2 * row.ordinal()), "viewer");
        String jaxRsToken = Tokens.valid(FlakyCell.deadTenant(2 * row.ordinal() + 1), "viewer");
        long handedOver = delta(fast::handedOver, () -> {
            Answer[] both = bothWays(c.target(), bearer(fastToken), bearer(jaxRsToken));
            assertThat(both[0].status()).as(row.name()).isEqualTo(503);
            assertThat(both[0].raw().header("Retry-After")).as(row.name()).matches("[0-9]+");
            assertThat(both[0].raw().contentType()).startsWith("application/problem+json");
            assertThat(both[0].raw().jsonPath().getString("type")).endsWith("-unavailable");
            assertSame(withoutPort(both[0]), withoutPort(both[1]));
        });
        assertThat(handedOver).as(row.name()).isEqualTo(1);
    }

    @Test
    void aSiblingThatNeverAnswersIs504OnBothRoutes() {
        // a cell of its own per way (each way's three timed-out attempts count in its own circuit only)
        String fastToken = Tokens.valid(FlakyCell.slowTenant(0), "viewer");
        String jaxRsToken = Tokens.valid(FlakyCell.slowTenant(1), "viewer");
        long handedOver = delta(fast::handedOver, () -> {
            // at once: each way waits out its own attempts' timeouts, so in turn they waited twice as long
            Answer[] both = bothWaysAtOnce(bearer(fastToken), bearer(jaxRsToken));
            assertThat(both[0].status()).isEqualTo(504);
            assertThat(both[0].raw().contentType()).startsWith("application/problem+json");
            assertThat(both[0].raw().jsonPath().getString("type")).endsWith("/dependency-timeout");
            assertSame(both[0], both[1]);
        });
        assertThat(handedOver).isEqualTo(1);
    }

    @Test
    void anOpenCircuitIs503WithRetryAfterOnBothRoutes() {
        int fastCell = 2 * HotReads.values().length;
        String fastToken = Tokens.valid(FlakyCell.deadTenant(fastCell), "viewer");
        String jaxRsToken = Tokens.valid(FlakyCell.deadTenant(fastCell + 1), "viewer");
        for (int i = 0; i < 2; i++) { // 3 refused attempts, then a 4th: the circuit (volume 4 in tests) opens
            assertThat(bearer(fastToken).when().get(PATH).statusCode()).isEqualTo(503);
            assertThat(bearer(jaxRsToken)
                            .header(ApiVersionFilters.HEADER, "1")
                            .when()
                            .get(PATH)
                            .statusCode())
                    .isEqualTo(503);
        }
        long handedOver = delta(fast::handedOver, () -> {
            Answer[] both = bothWays(bearer(fastToken), bearer(jaxRsToken));
            assertThat(both[0].status()).isEqualTo(503);
            assertThat(both[0].raw().header("Retry-After")).matches("[0-9]+");
            assertThat(both[0].raw().jsonPath().getString("detail")).contains("circuit open");
            assertSame(both[0], both[1]);
        });
        assertThat(handedOver).isEqualTo(1);
    }

    /** The two dead cells' ports differ, so do the bodies' (and compressed lengths) by that number only. */
    private static Answer withoutPort(Answer answer) {
        Map<String, List<String>> headers = new TreeMap<>(answer.headers());
        headers.remove("content-length");
        return new Answer(
                answer.status(),
                headers,
                answer.body().replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:N"),
                answer.raw());
    }

    private static Answer normalisedDetail(Answer answer) {
        return new Answer(
                answer.status(),
                answer.headers(),
                answer.body().replaceAll("retry in [0-9]+ s", "retry in N s"),
                answer.raw());
    }
}
