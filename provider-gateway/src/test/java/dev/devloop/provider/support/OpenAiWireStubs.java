package dev.devloop.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.List;
import java.util.UUID;

/** Stubs in OpenAI's real chat-completions wire format (JSON and SSE), keyed by model name. */
public final class OpenAiWireStubs {
    public static final String PATH = "/v1/chat/completions";

    private OpenAiWireStubs() {}

    /** A {@code chat.completion} body. */
    public static String completion(String model, String message, String finish, int in, int out) {
        return """
        {"id":"chatcmpl-%s","object":"chat.completion","created":1764000000,"model":"%s",
         "choices":[{"index":0,"message":%s,"logprobs":null,"finish_reason":"%s"}],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d},
         "system_fingerprint":"fp_test"}
        """.formatted(UUID.randomUUID(), model, message, finish, in, out, in + out);
    }

    public static void json(String model, int status, String body) {
        OpenAiStub.server()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(aResponse()
                                .withStatus(status)
                                .withHeader("Content-Type", "application/json")
                                .withBody(body)));
    }

    /** A streamed answer: the given {@code chat.completion.chunk} payloads, then {@code [DONE]}. */
    public static void sse(String model, List<String> chunks) {
        StringBuilder body = new StringBuilder();
        for (String c : chunks) {
            body.append("data: ").append(c).append("\n\n");
        }
        body.append("data: [DONE]\n\n");
        OpenAiStub.server()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/event-stream")
                                .withBody(body.toString())));
    }

    /** One upstream chunk with the given delta JSON and finish reason (null for none). */
    public static String chunk(String model, String delta, String finish) {
        return """
        {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1764000000,"model":"%s","system_fingerprint":"fp",
         "choices":[{"index":0,"delta":%s,"logprobs":null,"finish_reason":%s}]}""".formatted(model, delta, finish == null ? "null" : "\"" + finish + "\"")
                .replace("\n", "");
    }

    /** The usage-only last chunk OpenAI sends when asked to include usage. */
    public static String usageChunk(String model, int in, int out) {
        return """
        {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1764000000,"model":"%s","choices":[],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}""".formatted(model, in, out, in + out).replace("\n", "");
    }

    /** A text answer streamed in the given pieces. */
    public static void streamedText(String model, List<String> pieces, int in, int out) {
        List<String> chunks = new java.util.ArrayList<>();
        chunks.add(chunk(model, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
        for (String p : pieces) {
            chunks.add(chunk(model, "{\"content\":\"" + p + "\"}", null));
        }
        chunks.add(chunk(model, "{}", "stop"));
        chunks.add(usageChunk(model, in, out));
        sse(model, chunks);
    }

    /** A single tool call streamed with its arguments split over two chunks. */
    public static void streamedToolCall(String model, String id, String name) {
        sse(
                model,
                List.of(
                        chunk(
                                model,
                                "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + id
                                        + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name
                                        + "\",\"arguments\":\"\"}}],\"refusal\":null}",
                                null),
                        chunk(
                                model,
                                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"entity\\\":\"}}]}",
                                null),
                        chunk(
                                model,
                                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"svc-s\\\"}\"}}]}",
                                null),
                        chunk(model, "{}", "tool_calls"),
                        usageChunk(model, 9, 6)));
    }
}
