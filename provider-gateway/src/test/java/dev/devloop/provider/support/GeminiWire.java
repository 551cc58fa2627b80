package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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

    private static final GoogleWireStub STUB =
            new GoogleWireStub(MultiProviderStub::server, GeminiWire::path, GeminiWire::streamPath);

    public static void respond(String model, ResponseDefinitionBuilder response) {
        STUB.respond(model, response);
    }

    public static void json(String model, int status, String body) {
        STUB.json(model, status, body);
    }

    /** A streamed answer: each element one {@code data:} chunk. */
    public static void sse(String model, List<String> chunks) {
        STUB.sse(model, chunks);
    }

    /** The {@code generateContent} calls made for {@code model}. */
    public static List<LoggedRequest> sent(String model) {
        return STUB.sent(model);
    }
}
