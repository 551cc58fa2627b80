package dev.devloop.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * The LLM behind the real provider-gateway, speaking OpenAI's chat-completions wire format: a request
 * carrying a tool result gets the final answer; the system-health parent's first turn ("web-1 is slow")
 * spawns a diagnostic child; every other first turn answers at once.
 */
public final class OpenAiStub implements AutoCloseable {
    public static final String FINAL_ANSWER = "web-1 is healthy again.";
    public static final String PARENT_INPUT = "web-1 is slow, find out why";
    private final WireMockServer server;

    public OpenAiStub() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(1)
                .withRequestBody(containing("tool_call_id"))
                .willReturn(json(completion(
                        "chatcmpl-final", "{\"role\":\"assistant\",\"content\":\"" + FINAL_ANSWER + "\"}", "stop"))));
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(2)
                .withRequestBody(containing(PARENT_INPUT))
                .withRequestBody(containing("spawn_agent"))
                .willReturn(json(completion("chatcmpl-spawn", """
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_spawn_1","type":"function",
              "function":{"name":"spawn_agent","arguments":"{\\"type\\":\\"diagnostic\\",\\"task\\":\\"inspect the disks\\"}"}}]}""", "tool_calls"))));
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(3)
                .willReturn(json(completion(
                        "chatcmpl-direct", "{\"role\":\"assistant\",\"content\":\"" + FINAL_ANSWER + "\"}", "stop"))));
    }

    private static String completion(String id, String message, String finish) {
        return """
        {"id":"%s","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":%s,"finish_reason":"%s"}],
         "usage":{"prompt_tokens":60,"completion_tokens":20,"total_tokens":80}}""".formatted(id, message, finish);
    }

    /**
     * A streamed answer (OpenAI's {@code chat.completion.chunk} SSE, then {@code [DONE]}) to any streamed request
     * whose body contains {@code marker}: a role chunk, one chunk per piece, a finish chunk; the body is
     * dribbled in {@code dribbleChunks} parts over {@code dribbleMillis} (0: all at once).
     */
    public void stubStream(String marker, java.util.List<String> pieces, int dribbleChunks, int dribbleMillis) {
        StringBuilder body = new StringBuilder();
        body.append("data: ")
                .append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null))
                .append("\n\n");
        for (String piece : pieces) {
            body.append("data: ")
                    .append(chunk("{\"content\":\"" + piece + "\"}", null))
                    .append("\n\n");
        }
        body.append("data: ").append(chunk("{}", "stop")).append("\n\n");
        body.append("data: [DONE]\n\n");
        ResponseDefinitionBuilder answer = aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(body.toString());
        if (dribbleMillis > 0) {
            answer = answer.withChunkedDribbleDelay(dribbleChunks, dribbleMillis);
        }
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(0)
                .withRequestBody(containing(marker))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .willReturn(answer));
    }

    /** An OpenAI error answer ({@code status}, OpenAI's error JSON) to any request whose body contains {@code marker}. */
    public void stubError(String marker, int status, String message) {
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(0)
                .withRequestBody(containing(marker))
                .willReturn(json("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}")
                        .withStatus(status)));
    }

    private static String chunk(String delta, String finish) {
        return ("{\"id\":\"chatcmpl-stream\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":%s,\"logprobs\":null,\"finish_reason\":%s}]}")
                .formatted(delta, finish == null ? "null" : "\"" + finish + "\"");
    }

    /** How many requests whose body contains {@code marker} reached the stub. */
    public int requestsContaining(String marker) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                urlPathEqualTo("/v1/chat/completions"))
                        .withRequestBody(containing(marker)))
                .size();
    }

    /** The base URL provider-gateway uses ({@code …/v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
