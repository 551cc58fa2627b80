package dev.devloop.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
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

    public static void respond(String model, ResponseDefinitionBuilder response) {
        InstancesStub.google().stubFor(post(urlEqualTo(path(model))).willReturn(response));
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
        InstancesStub.google()
                .stubFor(post(urlEqualTo(streamPath(model)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/event-stream")
                                .withBody(body.toString())));
    }
}
