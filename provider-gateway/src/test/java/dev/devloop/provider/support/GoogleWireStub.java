package dev.devloop.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The Gemini wire format served at one Google endpoint pair ({@code :generateContent} and
 * {@code :streamGenerateContent?alt=sse}): the Gemini API's ({@link GeminiWire}) or Vertex AI's ({@link VertexWire}).
 */
record GoogleWireStub(Supplier<WireMockServer> server, UnaryOperator<String> path, UnaryOperator<String> streamPath) {

    void respond(String model, ResponseDefinitionBuilder response) {
        server.get().stubFor(post(urlEqualTo(path.apply(model))).willReturn(response));
    }

    void json(String model, int status, String body) {
        respond(
                model,
                aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body));
    }

    /** A streamed answer: each element one {@code data:} chunk. */
    void sse(String model, List<String> chunks) {
        StringBuilder body = new StringBuilder();
        for (String c : chunks) {
            body.append("data: ").append(c.replace("\n", "")).append("\r\n\r\n");
        }
        server.get()
                .stubFor(post(urlEqualTo(streamPath.apply(model)))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "text/event-stream")
                                .withBody(body.toString())));
    }

    /** The {@code generateContent} calls made for {@code model}. */
    List<LoggedRequest> sent(String model) {
        return server.get().findAll(postRequestedFor(urlEqualTo(path.apply(model))));
    }
}
