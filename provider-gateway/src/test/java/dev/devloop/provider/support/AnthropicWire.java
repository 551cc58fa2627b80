package dev.devloop.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.util.List;

/** Stubs in Anthropic's real Messages API wire format (JSON and SSE events), keyed by model name. */
public final class AnthropicWire {
    public static final String PATH = "/anthropic/v1/messages";

    private AnthropicWire() {}

    /** A {@code message} body with the given content blocks. */
    public static String message(String model, String contentBlocks, String stopReason, int in, int out) {
        return """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"%s",
         "content":%s,"stop_reason":"%s","stop_sequence":null,
         "usage":{"input_tokens":%d,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":%d}}
        """.formatted(model, contentBlocks, stopReason, in, out);
    }

    /** An error body as Anthropic sends it. */
    public static String error(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    public static void respond(String model, ResponseDefinitionBuilder response) {
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .willReturn(response));
    }

    public static void json(String model, int status, String body) {
        respond(
                model,
                aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body));
    }

    /** A streamed answer: each element is {@code event name, data JSON}. */
    public static void sse(String model, List<String[]> events) {
        StringBuilder body = new StringBuilder();
        for (String[] e : events) {
            body.append("event: ")
                    .append(e[0])
                    .append('\n')
                    .append("data: ")
                    .append(e[1])
                    .append("\n\n");
        }
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(PATH))
                        .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                        .withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true")))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/event-stream")
                                .withBody(body.toString())));
    }

    public static String[] event(String name, String data) {
        return new String[] {name, data.replace("\n", "")};
    }

    public static String[] messageStart(String model, int in) {
        return event("message_start", """
        {"type":"message_start","message":{"id":"msg_stream","type":"message","role":"assistant","content":[],
         "model":"%s","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,"output_tokens":1}}}""".formatted(model, in));
    }

    public static String[] messageDelta(String stopReason, int out) {
        return event("message_delta", """
        {"type":"message_delta","delta":{"stop_reason":"%s","stop_sequence":null},"usage":{"output_tokens":%d}}""".formatted(stopReason, out));
    }

    /** {@code content_block_start} of an empty block of {@code type} ({@code text} or {@code thinking}). */
    public static String[] blockStart(int index, String type) {
        String block = type.equals("thinking")
                ? "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"
                : "{\"type\":\"" + type + "\",\"" + type + "\":\"\"}";
        return event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");
    }

    /** {@code content_block_delta} adding {@code value} as a {@code text_delta}, {@code thinking_delta}, … */
    public static String[] delta(int index, String kind, String value) {
        String field = kind.equals("input_json") ? "partial_json" : kind;
        return event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"" + kind
                        + "_delta\",\"" + field + "\":\"" + value + "\"}}");
    }

    public static String[] blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    public static String[] messageStop() {
        return event("message_stop", "{\"type\":\"message_stop\"}");
    }
}
