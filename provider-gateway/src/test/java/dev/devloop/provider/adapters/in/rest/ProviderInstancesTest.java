package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.JSON;
import static dev.devloop.provider.adapters.in.rest.TestHttp.chat;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.InstancesStub;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Named instances of the OpenAI-compatible provider type ({@code devloop.provider.instances.*}):
 * two WireMock servers at different ports speak OpenAI's wire format as {@code ollama} and
 * {@code vllm}; each is its own provider for routing, listing, circuit breaking and bulkheads.
 * The circuit test runs last but one because it leaves {@code ollama}'s circuit open; the last resets it.
 */
@QuarkusTest
@WithTestResource(InstancesStub.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderInstancesTest {
    private static final String PATH = OpenAiWireStubs.PATH;

    private static void answer(WireMockServer server, String model, int status, String body) {
        server.stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private static String text(String model, String text) {
        return OpenAiWireStubs.completion(model, "{\"role\":\"assistant\",\"content\":\"" + text + "\"}", "stop", 7, 3);
    }

    private static List<LoggedRequest> sent(WireMockServer server, String model) {
        return server.findAll(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
    }

    private static String ask(String providerOrNull, String model) {
        String provider = providerOrNull == null ? "" : "\"provider\":\"" + providerOrNull + "\",";
        return "{" + provider + "\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    @Order(1)
    void twoInstancesAnswerFromTheirOwnServers() throws Exception {
        answer(InstancesStub.ollama(), "llama3.2", 200, text("llama3.2", "from ollama"));
        answer(InstancesStub.ollama(), "qwen2.5-coder", 200, text("qwen2.5-coder", "qwen on ollama"));
        answer(InstancesStub.vllm(), InstancesStub.VLLM_MODEL, 200, text(InstancesStub.VLLM_MODEL, "from vllm"));

        // explicit provider
        generate(tenant(), ask("ollama", "llama3.2"))
                .then()
                .statusCode(200)
                .body("text", equalTo("from ollama"))
                .body("provider", equalTo("ollama"))
                .body("model", equalTo("llama3.2"));
        // name/model prefix, the model itself containing a slash
        generate(tenant(), ask(null, "vllm/" + InstancesStub.VLLM_MODEL))
                .then()
                .statusCode(200)
                .body("text", equalTo("from vllm"))
                .body("provider", equalTo("vllm"));
        // a bare model name goes to the instance advertising it
        generate(tenant(), ask(null, "qwen2.5-coder"))
                .then()
                .statusCode(200)
                .body("text", equalTo("qwen on ollama"))
                .body("provider", equalTo("ollama"));
        generate(tenant(), ask(null, InstancesStub.VLLM_MODEL))
                .then()
                .statusCode(200)
                .body("provider", equalTo("vllm"));
        // no model: the instance's default model (the first of its models for ollama)
        generate(tenant(), "{\"provider\":\"ollama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then()
                .statusCode(200)
                .body("text", equalTo("from ollama"));
        // the OpenAI-compatible surface routes the same way
        String body = chat(tenant(), """
        {"model":"ollama/llama3.2","messages":[{"role":"user","content":"hi"}]}""").then().statusCode(200).extract().asString();
        assertThat(JSON.readTree(body)
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isEqualTo("from ollama");

        // each server got only its own calls, with its own credentials
        LoggedRequest toVllm =
                sent(InstancesStub.vllm(), InstancesStub.VLLM_MODEL).get(0);
        assertThat(toVllm.getHeader("Authorization")).isEqualTo("Bearer " + InstancesStub.VLLM_KEY);
        assertThat(JSON.readTree(toVllm.getBodyAsString())
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asText())
                .isEqualTo("hi");
        LoggedRequest toOllama = sent(InstancesStub.ollama(), "llama3.2").get(0);
        assertThat(toOllama.getHeader("Authorization")).doesNotContain(InstancesStub.VLLM_KEY);
        assertThat(sent(InstancesStub.vllm(), "llama3.2")).isEmpty();
        assertThat(sent(InstancesStub.ollama(), InstancesStub.VLLM_MODEL)).isEmpty();
    }

    @Test
    @Order(2)
    void instancesAreListedWithModelsCircuitsAndBulkheads() {
        given().header(Headers.TENANT, tenant())
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body(
                        "providers.name",
                        equalTo(List.of("openai", "anthropic", "gemini", "vertex", "local", "ollama", "vllm")))
                .body("providers.find { it.name == 'ollama' }.configured", equalTo(true))
                .body("providers.find { it.name == 'ollama' }.defaultModel", equalTo("llama3.2"))
                .body("providers.find { it.name == 'ollama' }.models", equalTo(List.of("llama3.2", "qwen2.5-coder")))
                .body("providers.find { it.name == 'ollama' }.circuit", equalTo("closed"))
                .body("providers.find { it.name == 'ollama' }.bulkhead.maxConcurrent", equalTo(1))
                .body("providers.find { it.name == 'ollama' }.bulkhead.maxWaitMs", nullValue())
                .body("providers.find { it.name == 'vllm' }.defaultModel", equalTo(InstancesStub.VLLM_MODEL))
                .body("providers.find { it.name == 'vllm' }.bulkhead.maxConcurrent", equalTo(64))
                .body("providers.find { it.name == 'vertex' }.bulkhead.maxConcurrent", equalTo(3))
                .body("providers.find { it.name == 'gemini' }.bulkhead.maxConcurrent", equalTo(64))
                .body("aliases.homelab", equalTo(List.of("ollama/llama3.2", "vllm/" + InstancesStub.VLLM_MODEL)));
        given().header(Headers.TENANT, tenant())
                .get("/v1/models")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("ollama/llama3.2"))
                .body("data.id", hasItem("ollama/qwen2.5-coder"))
                .body("data.id", hasItem("vllm/" + InstancesStub.VLLM_MODEL))
                .body("data.id", hasItem("homelab"));
        String health = given().get("/q/health/ready").then().extract().asString();
        assertThat(health).contains("\"ollama\"").contains("\"vllm\"");
    }

    @Test
    @Order(3)
    void aliasChainFallsBackFromOneInstanceToTheOther() {
        String t = tenant();
        answer(InstancesStub.ollama(), "llama3.2", 503, "{\"error\":{\"message\":\"model is loading\"}}");
        answer(InstancesStub.vllm(), InstancesStub.VLLM_MODEL, 200, text(InstancesStub.VLLM_MODEL, "vllm took over"));
        int before = sent(InstancesStub.ollama(), "llama3.2").size();
        generate(t, ask(null, "homelab"))
                .then()
                .statusCode(200)
                .body("text", equalTo("vllm took over"))
                .body("provider", equalTo("vllm"));
        assertThat(sent(InstancesStub.ollama(), "llama3.2")).hasSize(before + 1);
        // the 503 counted against ollama only: one failure in a window of six does not open it
        given().header(Headers.TENANT, t)
                .get("/v1/providers")
                .then()
                .body("providers.find { it.name == 'vllm' }.circuit", equalTo("closed"));
        answer(InstancesStub.ollama(), "llama3.2", 200, text("llama3.2", "from ollama"));
    }

    @Test
    @Order(4)
    void theInstancesOwnBulkheadLimitApplies() throws Exception {
        String slow = "slow-" + java.util.UUID.randomUUID();
        InstancesStub.ollama()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(slow)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(text(slow, "slow answer"))
                                .withFixedDelay(2500)));
        answer(InstancesStub.ollama(), "qwen2.5-coder", 200, text("qwen2.5-coder", "quick"));
        CompletableFuture<Response> first =
                CompletableFuture.supplyAsync(() -> generate(tenant(), ask("ollama", slow)));
        // wait until the slow call holds ollama's only slot (it has reached the server)
        for (int i = 0; i < 200 && sent(InstancesStub.ollama(), slow).isEmpty(); i++) {
            Thread.sleep(25);
        }
        assertThat(sent(InstancesStub.ollama(), slow)).hasSize(1);
        given().header(Headers.TENANT, tenant())
                .get("/v1/providers")
                .then()
                .body("providers.find { it.name == 'ollama' }.bulkhead.inFlight", equalTo(1));
        // a second concurrent call to ollama is refused: its own limit is 1 (the global one is 64)
        int quickBefore = sent(InstancesStub.ollama(), "qwen2.5-coder").size();
        generate(tenant(), ask("ollama", "qwen2.5-coder"))
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://devloop.dev/problems/provider-busy"))
                .body("detail", containsString("devloop.provider.instances.ollama.bulkhead.max-concurrent"))
                .body("detail", containsString("already has 1 calls in flight"));
        assertThat(sent(InstancesStub.ollama(), "qwen2.5-coder")).hasSize(quickBefore);
        // vllm has its own (global-sized) bulkhead and is not affected
        answer(InstancesStub.vllm(), InstancesStub.VLLM_MODEL, 200, text(InstancesStub.VLLM_MODEL, "from vllm"));
        generate(tenant(), ask("vllm", InstancesStub.VLLM_MODEL))
                .then()
                .statusCode(200)
                .body("text", equalTo("from vllm"));
        first.get(20, TimeUnit.SECONDS).then().statusCode(200).body("text", equalTo("slow answer"));
        // the slot is free again
        generate(tenant(), ask("ollama", "qwen2.5-coder"))
                .then()
                .statusCode(200)
                .body("text", equalTo("quick"));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertThat(metrics)
                .containsPattern("devloop_provider_bulkhead_rejections_total\\{provider=\"ollama\"[^}]*} [1-9]");
    }

    @Test
    @Order(5)
    void eachInstanceRetriesByItsOwnPolicy() {
        String model = "flaky-" + java.util.UUID.randomUUID();
        for (WireMockServer server : List.of(InstancesStub.ollama(), InstancesStub.vllm())) {
            String scenario = "flaky-" + server.port();
            server.stubFor(post(urlEqualTo(PATH))
                    .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                    .inScenario(scenario)
                    .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                    .willReturn(aResponse()
                            .withStatus(503)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":{\"message\":\"warming up\"}}"))
                    .willSetStateTo("warm"));
            server.stubFor(post(urlEqualTo(PATH))
                    .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                    .inScenario(scenario)
                    .whenScenarioStateIs("warm")
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "application/json")
                            .withBody(text(model, "warm now"))));
        }
        // vllm: retry.max-retries=2 of its own → the 503 is retried and the second attempt answers
        generate(tenant(), ask("vllm", model)).then().statusCode(200).body("text", equalTo("warm now"));
        assertThat(sent(InstancesStub.vllm(), model)).hasSize(2);
        // ollama: the global policy (no retries here) → the 503 goes back to the caller after one attempt
        generate(tenant(), ask("ollama", model))
                .then()
                .statusCode(502)
                .body("type", equalTo("https://devloop.dev/problems/provider-error"));
        assertThat(sent(InstancesStub.ollama(), model)).hasSize(1);
    }

    @Test
    @Order(10)
    void aFailingInstanceOpensOnlyItsOwnCircuit() {
        String t = tenant();
        String broken = "broken-" + java.util.UUID.randomUUID();
        answer(InstancesStub.ollama(), broken, 500, "{\"error\":{\"message\":\"boom\"}}");
        answer(InstancesStub.vllm(), InstancesStub.VLLM_MODEL, 200, text(InstancesStub.VLLM_MODEL, "vllm is fine"));
        // the earlier tests left ollama closed (2 failures among its last 6 calls)
        given().header(Headers.TENANT, t)
                .get("/v1/providers")
                .then()
                .body("providers.find { it.name == 'ollama' }.circuit", equalTo("closed"));
        // ollama's window is 6 calls at 50 %: it opens within six failing calls
        int calls = 0;
        int status = 502;
        while (status == 502 && calls < 7) {
            status = generate(t, ask("ollama", broken)).then().extract().statusCode();
            calls++;
        }
        assertThat(status).isEqualTo(503);
        assertThat(calls).isBetween(2, 7);
        int reached = sent(InstancesStub.ollama(), broken).size();
        assertThat(reached).isEqualTo(calls - 1);
        generate(t, ask("ollama", broken))
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "600")
                .body("type", equalTo("https://devloop.dev/problems/provider-circuit-open"));
        assertThat(sent(InstancesStub.ollama(), broken)).hasSize(reached); // no longer reaches the server
        // vllm, another instance of the same type, keeps serving
        generate(t, ask("vllm", InstancesStub.VLLM_MODEL))
                .then()
                .statusCode(200)
                .body("text", equalTo("vllm is fine"));
        given().header(Headers.TENANT, t)
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.find { it.name == 'ollama' }.circuit", equalTo("open"))
                .body("providers.find { it.name == 'vllm' }.circuit", equalTo("closed"))
                .body("providers.find { it.name == 'openai' }.circuit", equalTo("closed"));
        // and an alias chain starting at the open instance falls back to vllm
        generate(t, ask(null, "homelab")).then().statusCode(200).body("provider", equalTo("vllm"));
    }

    @Test
    @Order(11)
    void aResetClosesTheInstancesOwnCircuitOnly() {
        String t = tenant();
        String fixed = "fixed-" + java.util.UUID.randomUUID();
        answer(InstancesStub.ollama(), fixed, 200, text(fixed, "ollama is back"));
        generate(t, ask("ollama", fixed)).then().statusCode(503); // still open from the test before
        given().header(Headers.TENANT, t)
                .post("/v1/providers/ollama/circuit/reset")
                .then()
                .statusCode(200)
                .body("provider", equalTo("ollama"))
                .body("before", equalTo("open"))
                .body("after", equalTo("closed"));
        generate(t, ask("ollama", fixed)).then().statusCode(200).body("text", equalTo("ollama is back"));
        given().header(Headers.TENANT, t)
                .get("/v1/providers")
                .then()
                .statusCode(200)
                .body("providers.find { it.name == 'ollama' }.circuit", equalTo("closed"));
    }
}
