package dev.devloop.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;

/** Stubs in the Gemini API's real wire format ({@code generateContent}, {@code streamGenerateContent?alt=sse}). */
public final class GeminiWire {
    private GeminiWire() {}

    public static String path(String model) {
        return "/gemini/v1beta/models/" + model + ":generateContent";
    }

    public static String streamPath(String model) {
        return "/gemini/v1beta/models/" + model + ":streamGenerateContent?alt=sse";
    }

    /** A {@code GenerateContentResponse} with the given parts. */
    public static String response(String model, String parts, String finishReason, int in, int out) {
        return """
        {"candidates":[{"content":{"parts":%s,"role":"model"},"finishReason":"%s","index":0}],
         "usageMetadata":{"promptTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d},
         "modelVersion":"%s","responseId":"resp-1"}
        """.formatted(parts, finishReason, in, out, in + out, model);
    }

    /** An error body as Google APIs send it. */
    public static String error(int code, String status, String message) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status + "\"}}";
    }

    public static void respond(String model, ResponseDefinitionBuilder response) {
        MultiProviderStub.server().stubFor(post(urlEqualTo(path(model))).willReturn(response));
    }

    public static void json(String model, int status, String body) {
        respond(
                model,
                aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body));
    }

    /** A streamed answer: each element one {@code data:} chunk. */
    public static void sse(String model, List<String> chunks) {
        StringBuilder body = new StringBuilder();
        for (String c : chunks) {
            body.append("data: ").append(c.replace("\n", "")).append("\r\n\r\n");
        }
        MultiProviderStub.server()
                .stubFor(post(urlEqualTo(streamPath(model)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/event-stream")
                                .withBody(body.toString())));
    }
}
