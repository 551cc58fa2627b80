package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.adapters.out.langchain.openai.RemoteLocalChatProvider;
import dev.devloop.provider.adapters.out.langchain.openai.RemoteLocalEmbeddingProvider;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.devloop.provider.support.OpenAiWireStubs;
import dev.devloop.provider.support.RemoteLocalProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A build with {@code devloop.build.in-process-models=false} (what {@code -Pnative} sets): the in-process llama.cpp and
 * ONNX beans are not in the application, and {@code local} chat and embeddings go to OpenAI-compatible servers.
 */
@QuarkusTest
@TestProfile(RemoteLocalProfile.class)
class RemoteLocalModelsTest {
    @Inject
    Instance<ChatProviderPort> chatProviders;

    @Inject
    Instance<EmbeddingProviderPort> embeddingProviders;

    @Test
    void theBuildHasOnlyTheRemoteLocalProviders() {
        List<ChatProviderPort> local =
                chatProviders.stream().filter(p -> "local".equals(p.name())).toList();
        assertThat(local).singleElement().isInstanceOf(RemoteLocalChatProvider.class);
        List<EmbeddingProviderPort> embeddings = embeddingProviders.stream()
                .filter(p -> "local".equals(p.name()))
                .toList();
        assertThat(embeddings).singleElement().isInstanceOf(RemoteLocalEmbeddingProvider.class);
    }

    @Test
    void localChatIsServedByTheConfiguredOpenAiCompatibleServer() {
        RemoteLocalProfile.Server.server()
                .stubFor(post(urlEqualTo("/chat/v1/chat/completions"))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(RemoteLocalProfile.MODEL)))
                        .willReturn(aResponse()
                                .withHeader("Content-Type", "application/json")
                                .withBody(OpenAiWireStubs.completion(
                                        RemoteLocalProfile.MODEL,
                                        "{\"role\":\"assistant\",\"content\":\"svc-a is slow\"}",
                                        "stop",
                                        12,
                                        4))));

        generate(tenant(), """
                {"provider":"local","messages":[{"role":"user","content":"how is svc-a?"}]}""")
                .then()
                .statusCode(200)
                .body("provider", equalTo("local"))
                .body("model", equalTo(RemoteLocalProfile.MODEL))
                .body("text", equalTo("svc-a is slow"))
                .body("usage.inputTokens", equalTo(12));
        RemoteLocalProfile.Server.server()
                .verify(postRequestedFor(urlEqualTo("/chat/v1/chat/completions"))
                        .withRequestBody(matchingJsonPath("$.messages[0].content", WireMock.equalTo("how is svc-a?"))));
    }

    @Test
    void localEmbeddingsAreServedByTheConfiguredOpenAiCompatibleServer() {
        String vector = String.join(",", Collections.nCopies(RemoteLocalEmbeddingProvider.DIMENSION, "0.5"));
        RemoteLocalProfile.Server.server()
                .stubFor(post(urlEqualTo("/emb/v1/embeddings"))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("all-minilm-l6-v2")))
                        .willReturn(aResponse()
                                .withHeader("Content-Type", "application/json")
                                .withBody("""
                                        {"object":"list","model":"all-minilm-l6-v2",
                                         "data":[{"object":"embedding","index":0,"embedding":[%s]}],
                                         "usage":{"prompt_tokens":3,"total_tokens":3}}""".formatted(vector))));

        given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant())
                .body("{\"model\":\"all-minilm-l6-v2\",\"input\":\"The cat sits\"}")
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .body("data[0].embedding.size()", equalTo(RemoteLocalEmbeddingProvider.DIMENSION))
                .body("data[0].embedding[0]", equalTo(0.5f))
                .body("usage.prompt_tokens", equalTo(3));
    }
}
