package dev.devloop.knowledge.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.CallerIdentity;
import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.ServiceTokenVerifier;
import dev.devloop.contracts.identity.testing.TestCredentials;
import dev.devloop.knowledge.adapters.out.providergateway.GatewayEmbeddings;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The build the native profile makes ({@code devloop.knowledge.embeddings.in-process=false}), run on the JVM: the
 * in-process embedder's wiring is not in the build, and {@code provider=local} (the default) is served by
 * provider-gateway's OpenAI-compatible {@code /v1/embeddings} — here a WireMock server speaking that wire format —
 * asking for the in-process model's twin, so ingestion and vector search work end to end with 384-dimension vectors.
 * Every call to it carries a token for provider-gateway that provider-gateway's verifier accepts.
 */
@QuarkusTest
@TestProfile(RemoteEmbeddingsBuildTest.RemoteOnlyBuild.class)
public class RemoteEmbeddingsBuildTest {
    static final int DIMENSIONS = 384;

    /**
     * Also {@code RedisDownTest}'s profile (Redis at a closed port): each profile is an augmentation and a restart,
     * and neither test depends on what the other changes — facts use no embedder, and ingestion and search skip the
     * read cache while Redis is down.
     */
    public static class RemoteOnlyBuild implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    EmbeddingsWiring.IN_PROCESS,
                    "false",
                    "devloop.knowledge.embeddings.provider",
                    "local",
                    "quarkus.redis.hosts",
                    "redis://127.0.0.1:1",
                    "mp.messaging.incoming.knowledge-facts.enabled",
                    "false",
                    "mp.messaging.incoming.agent-lifecycle.enabled",
                    "false",
                    "mp.messaging.incoming.forge-events.enabled",
                    "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeProviderGateway.class));
        }
    }

    /** A provider-gateway stand-in answering {@code POST /v1/embeddings} in OpenAI's shape. */
    public static class FakeProviderGateway implements QuarkusTestResourceLifecycleManager {
        static WireMockServer server;

        @Override
        public Map<String, String> start() {
            server = new WireMockServer(options().dynamicPort());
            server.start();
            // one input per request here (short documents, one query): the vector says which topic the text is about
            server.stubFor(post(urlEqualTo("/v1/embeddings"))
                    .withRequestBody(matchingJsonPath("$.input[0]", containing("alpha")))
                    .willReturn(embedding(0)));
            server.stubFor(post(urlEqualTo("/v1/embeddings"))
                    .withRequestBody(matchingJsonPath("$.input[0]", containing("beta")))
                    .willReturn(embedding(1)));
            return Map.of("quarkus.rest-client.provider-gateway.url", server.baseUrl());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop();
            }
        }

        /** OpenAI's embeddings answer: one 384-dimension unit vector along {@code axis}. */
        static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder embedding(int axis) {
            String vector = IntStream.range(0, DIMENSIONS)
                    .mapToObj(i -> i == axis ? "1.0" : "0.0")
                    .collect(Collectors.joining(",", "[", "]"));
            return aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                            + vector + "}],\"model\":\"all-minilm-l6-v2\","
                            + "\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}");
        }
    }

    @Inject
    EmbeddingPort embeddings;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void theBuildHasNoInProcessEmbedderAndLocalIsServedByTheGateway() {
        assertThat(Arc.container().select(InProcessEmbeddingsWiring.class).isResolvable())
                .isFalse();
        assertThat(ClientProxy.unwrap(embeddings)).isInstanceOf(GatewayEmbeddings.class);
        assertThat(embeddings.dimensions()).isEqualTo(DIMENSIONS);

        ingest("doc-alpha", "Alpha notes", "alpha release checklist");
        ingest("doc-beta", "Beta notes", "beta rollout plan");
        JsonPath hits = given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(Map.of("query", "what is in the alpha checklist", "mode", "vector"))
                .post("/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(hits.getString("hits[0].documentId")).isEqualTo("doc-alpha");
        assertThat(hits.getDouble("hits[0].score")).isGreaterThan(0.99);

        FakeProviderGateway.server.verify(
                3,
                postRequestedFor(urlEqualTo("/v1/embeddings"))
                        .withHeader(Headers.TENANT, equalTo(tenant))
                        .withRequestBody(matchingJsonPath("$.model", equalTo("all-minilm-l6-v2")))
                        .withRequestBody(matchingJsonPath("$.input.length()", equalTo("1"))));
        // each call carries a token provider-gateway accepts: signed by knowledge-service, acting for the tenant
        var asProviderGateway = new ServiceTokenVerifier(
                ServiceKeys.open(TestCredentials.keyDir(), TestCredentials.TEST_CALLER, true),
                "devloop-cell",
                "provider-gateway");
        List<LoggedRequest> calls = FakeProviderGateway.server.findAll(postRequestedFor(urlEqualTo("/v1/embeddings")));
        assertThat(calls).hasSize(3).allSatisfy(call -> {
            CallerIdentity caller = asProviderGateway.verify(call.getHeader("Authorization"));
            assertThat(caller.service()).isEqualTo("knowledge-service");
            assertThat(caller.tenant()).isEqualTo(tenant);
        });
    }

    private void ingest(String id, String title, String text) {
        given().header(Headers.TENANT, tenant)
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "title", title, "text", text, "contentType", "text/plain"))
                .post("/documents")
                .then()
                .statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(id));
    }
}
