package dev.devloop.provider.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.devloop.contracts.Headers;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiWireStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Context;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Stop 38: a non-streamed answer of a non-blocking provider is mapped and written on the request's event loop
 * ({@link AnswerOnEventLoop}), not handed to a worker to be written; answers from the cache, the worker pool's
 * follow-up (a cache store) and failures too. A stream is still written by a worker (it waits for each chunk).
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class AnswerOnEventLoopTest {
    private static String model() {
        return "m-" + UUID.randomUUID();
    }

    private static ValidatableResponse post(String path, String tenant, String body) {
        return given().contentType(ContentType.JSON)
                .header(Headers.TENANT, tenant)
                .header(WrittenOn.ASK, "1")
                .body(body)
                .when()
                .post(path)
                .then();
    }

    private static void answers(String model, String text) {
        OpenAiWireStubs.json(
                model,
                200,
                OpenAiWireStubs.completion(
                        model, "{\"role\":\"assistant\",\"content\":\"" + text + "\"}", "stop", 7, 2));
    }

    @Test
    void aChatCompletionIsWrittenOnTheEventLoop() {
        String model = model();
        answers(model, "Hi!");
        post("/v1/chat/completions", "t-" + UUID.randomUUID(), """
                {"model":"%s","temperature":0.7,"messages":[{"role":"user","content":"say hi"}]}""".formatted(model))
                .statusCode(200)
                .contentType(ContentType.JSON)
                .header(WrittenOn.ANSWER, "event-loop")
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Hi!"))
                .body("usage.total_tokens", equalTo(9));
    }

    @Test
    void aCachedCallIsStoredByAWorkerAndBothAnswersAreWrittenOnTheEventLoop() {
        String model = model();
        String tenant = "t-" + UUID.randomUUID();
        answers(model, "cached?");
        String body = """
                {"model":"%s","messages":[{"role":"user","content":"same"}],"options":{"temperature":0}}""".formatted(model);
        // deterministic: the answer is stored in Redis by the worker pool (afterCalls), then written
        post("/v1/generate", tenant, body)
                .statusCode(200)
                .header(WrittenOn.ANSWER, "event-loop")
                .body("cached", equalTo(false))
                .body("text", equalTo("cached?"));
        post("/v1/generate", tenant, body)
                .statusCode(200)
                .header(WrittenOn.ANSWER, "event-loop")
                .body("cached", equalTo(true))
                .body("text", equalTo("cached?"));
    }

    @Test
    void aFailedCallIsMappedToOpenAisErrorOnTheEventLoop() {
        String model = model();
        OpenAiWireStubs.json(model, 500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
        post("/v1/chat/completions", "t-" + UUID.randomUUID(), """
                {"model":"%s","temperature":0.7,"messages":[{"role":"user","content":"fail"}]}""".formatted(model))
                .statusCode(502)
                .header(WrittenOn.ANSWER, "event-loop")
                .body("error.type", equalTo("upstream_error"));
    }

    @Test
    void aStreamIsStillWrittenByAWorker() {
        String model = model();
        OpenAiWireStubs.streamedText(model, List.of("Hel", "lo"), 5, 2);
        post("/v1/chat/completions", "t-" + UUID.randomUUID(), """
                {"model":"%s","stream":true,"messages":[{"role":"user","content":"hi"}]}""".formatted(model))
                .statusCode(200)
                .header(WrittenOn.ANSWER, "worker")
                .body(org.hamcrest.Matchers.containsString("\"content\":\"Hel\""))
                .body(org.hamcrest.Matchers.containsString("[DONE]"));
    }

    @Test
    void aRefusedRequestIsAnsweredFromTheWorkerThatRefusedIt() {
        // validation refuses before anything is sent: nothing moved, the worker answers as before
        post("/v1/chat/completions", "t-" + UUID.randomUUID(), """
                {"model":"%s","temperature":0.7,"messages":[]}""".formatted(model()))
                .statusCode(400)
                .header(WrittenOn.ANSWER, "worker");
    }

    /**
     * Test-only response filter: a request carrying {@value #ASK} gets {@value #ANSWER} naming the kind of thread the
     * response filters ran on ({@code event-loop} or {@code worker}), the thread that then writes the answer.
     */
    @Provider
    public static class WrittenOn implements ContainerResponseFilter {
        static final String ASK = "X-Test-Written-On";
        static final String ANSWER = "X-Test-Filtered-On";

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getHeaderString(ASK) != null) {
                response.getHeaders().putSingle(ANSWER, Context.isOnEventLoopThread() ? "event-loop" : "worker");
            }
        }
    }
}
