package dev.devloop.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * Vertex AI reached with a service-account key file: the test writes a fresh RSA key as a
 * {@code service_account} JSON whose {@code token_uri} is this WireMock server, which also answers
 * Vertex's REST API for project {@code sa-project} in {@code us-east5}.
 */
public class VertexServiceAccountStub implements QuarkusTestResourceLifecycleManager {
    public static final String MINTED = "ya29.minted-from-service-account";
    private static volatile WireMockServer server;
    private static volatile KeyPair keys;
    private Path file;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + MINTED
                                + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            keys = gen.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            file = Files.createTempFile("devloop-vertex-sa", ".json");
            Files.writeString(
                    file,
                    new ObjectMapper()
                            .writeValueAsString(Map.of(
                                    "type",
                                    "service_account",
                                    "project_id",
                                    "sa-project",
                                    "private_key_id",
                                    "kid-1",
                                    "private_key",
                                    pem,
                                    "client_email",
                                    "gateway@sa-project.iam.gserviceaccount.com",
                                    "token_uri",
                                    server.baseUrl() + "/token")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "devloop.provider.vertex.project", "sa-project",
                "devloop.provider.vertex.location", "us-east5",
                "devloop.provider.vertex.access-token", "",
                "devloop.provider.vertex.credentials-file", file.toString(),
                "devloop.provider.vertex.base-url", server.baseUrl() + "/v1");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }

    public static WireMockServer server() {
        return server;
    }

    public static KeyPair keys() {
        return keys;
    }
}
