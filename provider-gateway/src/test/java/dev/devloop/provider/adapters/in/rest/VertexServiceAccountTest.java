package dev.devloop.provider.adapters.in.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.devloop.provider.adapters.in.rest.TestHttp.generate;
import static dev.devloop.provider.adapters.in.rest.TestHttp.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.GeminiWire;
import dev.devloop.provider.support.VertexServiceAccountStub;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vertex AI with {@code devloop.provider.vertex.credentials-file}: tokens minted from a service-account key, then reused. */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class VertexServiceAccountTest {

    @Test
    void callsCarryTheTokenMintedFromTheKeyFile() {
        String model = TestHttp.unique("gemini-sa");
        String path =
                "/v1/projects/sa-project/locations/us-east5/publishers/google/models/" + model + ":generateContent";
        VertexServiceAccountStub.server()
                .stubFor(post(urlEqualTo(path))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", "application/json")
                                .withBody(GeminiWire.response(model, "[{\"text\":\"minted ok\"}]", "STOP", 3, 2))));
        String body = "{\"provider\":\"vertex\",\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        generate(tenant(), body)
                .then()
                .statusCode(200)
                .body("text", equalTo("minted ok"))
                .body("provider", equalTo("vertex"));
        generate(tenant(), body).then().statusCode(200);
        List<LoggedRequest> calls = VertexServiceAccountStub.server().findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(r -> assertThat(r.getHeader("Authorization"))
                .isEqualTo("Bearer " + VertexServiceAccountStub.MINTED));
        // one token for both calls
        assertThat(VertexServiceAccountStub.server().findAll(postRequestedFor(urlEqualTo("/token"))))
                .hasSize(1);
        assertThat(VertexServiceAccountStub.server()
                        .findAll(postRequestedFor(urlEqualTo("/token")))
                        .get(0)
                        .getBodyAsString())
                .contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer")
                .contains("assertion=");
    }
}
