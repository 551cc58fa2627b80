package dev.devloop.provider.adapters.out.langchain.vertex;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.provider.adapters.out.langchain.UpstreamHttpException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access tokens minted (by google-auth-library) from a service-account key with the JWT-bearer grant and from gcloud
 * user credentials with the refresh-token grant, against a WireMock token endpoint.
 */
class VertexAccessTokensTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private WireMockServer google;
    private KeyPair keys;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        google = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        google.start();
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
    }

    @AfterEach
    void stop() {
        google.stop();
    }

    private Path keyFile() throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = new HashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "devloop-test");
        key.put("private_key_id", "kid-123");
        key.put("private_key", pem);
        key.put("client_email", "gateway@devloop-test.iam.gserviceaccount.com");
        key.put("token_uri", google.baseUrl() + "/token");
        Path file = dir.resolve("sa.json");
        Files.writeString(file, JSON.writeValueAsString(key));
        return file;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void mintsASignedJwtBearerGrantAndCachesTheToken() throws Exception {
        google.stubFor(post(urlEqualTo("/token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"access_token\":\"ya29.minted-1\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T01:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        VertexAccessTokens tokens = VertexAccessTokens.fromFile(keyFile(), clock);

        assertThat(tokens.token()).isEqualTo("ya29.minted-1");
        assertThat(tokens.token()).isEqualTo("ya29.minted-1");
        List<LoggedRequest> requests = google.findAll(postRequestedFor(urlEqualTo("/token")));
        assertThat(requests).hasSize(1); // cached

        Map<String, String> form = form(requests.get(0).getBodyAsString());
        assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isEqualTo("kid-123");
        assertThat(claims.path("iss").asText()).isEqualTo("gateway@devloop-test.iam.gserviceaccount.com");
        // google-auth addresses the assertion to Google's token endpoint (the audience Google checks) wherever it posts
        // it
        assertThat(claims.path("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(claims.path("scope").asText()).isEqualTo(VertexAccessTokens.SCOPE);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();

        // close to expiry a new token is minted
        google.stubFor(post(urlEqualTo("/token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"ya29.minted-2\",\"expires_in\":3599}")));
        now.set(now.get().plusSeconds(3599 - 30));
        assertThat(tokens.token()).isEqualTo("ya29.minted-2");
        assertThat(google.findAll(postRequestedFor(urlEqualTo("/token")))).hasSize(2);
    }

    @Test
    void aRefusedGrantIsACredentialsFailure() throws Exception {
        google.stubFor(post(urlEqualTo("/token"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}")));
        VertexAccessTokens tokens = VertexAccessTokens.fromFile(keyFile(), Clock.systemUTC());
        assertThatThrownBy(tokens::token)
                .isInstanceOfSatisfying(
                        UpstreamHttpException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void gcloudApplicationDefaultCredentialsUseTheRefreshTokenGrant() throws Exception {
        google.stubFor(
                post(urlEqualTo("/token"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"access_token\":\"ya29.user-token\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        Path file = dir.resolve("adc.json");
        Files.writeString(
                file,
                JSON.writeValueAsString(Map.of(
                        "type",
                        "authorized_user",
                        "client_id",
                        "cid.apps.googleusercontent.com",
                        "client_secret",
                        "s3cret",
                        "refresh_token",
                        "1//refresh",
                        "token_uri",
                        google.baseUrl() + "/token")));
        assertThat(VertexAccessTokens.fromFile(file, Clock.systemUTC()).token()).isEqualTo("ya29.user-token");
        Map<String, String> form = form(
                google.findAll(postRequestedFor(urlEqualTo("/token"))).get(0).getBodyAsString());
        assertThat(form)
                .containsEntry("grant_type", "refresh_token")
                .containsEntry("client_id", "cid.apps.googleusercontent.com")
                .containsEntry("client_secret", "s3cret")
                .containsEntry("refresh_token", "1//refresh");
    }

    @Test
    void aFileThatIsNoCredentialsIsNamed() throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"type\":\"external_account\",\"audience\":\"x\"}");
        assertThatThrownBy(() ->
                        VertexAccessTokens.fromFile(file, Clock.systemUTC()).token())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("service_account")
                .hasMessageContaining("authorized_user");
    }
}
