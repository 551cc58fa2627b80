package dev.devloop.provider.support;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * Stubs in Vertex AI's REST wire format: {@code POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent}
 * and {@code :streamGenerateContent?alt=sse}; the bodies are the Gemini format ({@link GeminiWire#response}).
 */
public final class VertexWire {
    private VertexWire() {}

    public static String path(String model) {
        return "/v1/projects/" + InstancesStub.VERTEX_PROJECT + "/locations/" + InstancesStub.VERTEX_LOCATION
                + "/publishers/google/models/" + model + ":generateContent";
    }

    public static String streamPath(String model) {
        return "/v1/projects/" + InstancesStub.VERTEX_PROJECT + "/locations/" + InstancesStub.VERTEX_LOCATION
                + "/publishers/google/models/" + model + ":streamGenerateContent?alt=sse";
    }

    private static final GoogleWireStub STUB =
            new GoogleWireStub(InstancesStub::google, VertexWire::path, VertexWire::streamPath);

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
