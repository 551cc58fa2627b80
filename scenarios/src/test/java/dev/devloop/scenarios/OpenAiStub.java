package dev.devloop.scenarios;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * An OpenAI chat-completions stub speaking the real wire format: a request that does not yet carry a
 * tool result gets a {@code store_fact} tool call, one that does gets the final answer.
 */
final class OpenAiStub implements AutoCloseable {
    static final String FINAL_ANSWER = "Noted: the build server is healthy.";
    private final WireMockServer server;

    OpenAiStub() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .atPriority(1)
                .withRequestBody(containing("tool_call_id"))
                .willReturn(json("""
            {"id":"chatcmpl-final","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":80,"completion_tokens":9,"total_tokens":89}}
            """.formatted(FINAL_ANSWER))));
        server.stubFor(
                post(urlPathEqualTo("/v1/chat/completions")).atPriority(2).willReturn(json("""
            {"id":"chatcmpl-tool","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,
               "tool_calls":[{"id":"call_store_1","type":"function","function":{"name":"store_fact",
                 "arguments":"{\\"entity\\":\\"build-server\\",\\"attribute\\":\\"status\\",\\"value\\":\\"healthy\\",\\"ttl_seconds\\":3600}"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":60,"completion_tokens":25,"total_tokens":85}}
            """)));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    WireMockServer server() {
        return server;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
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
