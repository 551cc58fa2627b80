package dev.devloop.provider.adapters.out.langchain.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import dev.devloop.provider.adapters.out.langchain.UpstreamHttpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * OAuth2 access tokens for Vertex AI: either a fixed token ({@code DEVLOOP_VERTEX_ACCESS_TOKEN}),
 * or tokens minted from a credentials file ({@code GOOGLE_APPLICATION_CREDENTIALS}) by Google's
 * {@code google-auth-library}: a service-account key ({@link ServiceAccountCredentials}: an RS256-signed
 * JWT-bearer grant posted to the key's {@code token_uri}) or gcloud's {@code authorized_user}
 * application-default credentials ({@link UserCredentials}: the refresh-token grant). Tokens are cached
 * until a minute before they expire. Tokens and keys are never logged.
 */
public interface VertexAccessTokens {
    /** Scope of the minted tokens. */
    String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /** A valid access token; throws {@link UpstreamHttpException} when the token endpoint refuses. */
    String token();

    /** A fixed token. */
    static VertexAccessTokens fixed(String token) {
        return () -> token;
    }

    /** Tokens minted from the credentials file at {@code path} (service account or authorized user), read on first use. */
    static VertexAccessTokens fromFile(Path path, Clock clock) {
        return new FileCredentials(path, clock);
    }

    /** Mints (through google-auth-library) and caches tokens from a credentials file. */
    final class FileCredentials implements VertexAccessTokens {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Duration EARLY = Duration.ofSeconds(60);
        private static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

        private final Path path;
        private final Clock clock;
        private GoogleCredentials credentials;
        private String token;
        private Instant expires = Instant.MIN;

        FileCredentials(Path path, Clock clock) {
            this.path = path;
            this.clock = clock;
        }

        @Override
        public synchronized String token() {
            Instant now = clock.instant();
            if (token != null && now.isBefore(expires.minus(EARLY))) {
                return token;
            }
            if (credentials == null) {
                credentials = read();
            }
            AccessToken minted;
            try {
                // refreshAccessToken, not refreshIfExpired: the cache is ours, on the injected clock
                minted = credentials.refreshAccessToken();
            } catch (IOException e) {
                throw refused(e);
            }
            if (minted == null
                    || minted.getTokenValue() == null
                    || minted.getTokenValue().isBlank()) {
                throw new UpstreamHttpException(502, null, "");
            }
            token = minted.getTokenValue();
            // google-auth stamps the expiry on the system clock: keep the lifetime it granted, from our now
            Duration lifetime = minted.getExpirationTime() == null
                    ? Duration.ofHours(1)
                    : Duration.between(Instant.now(), minted.getExpirationTime().toInstant());
            expires = now.plus(lifetime);
            return token;
        }

        /** An OAuth refusal (invalid_grant…) is a credentials problem: 401; a 5xx stays itself; no answer is I/O. */
        private static RuntimeException refused(IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HttpResponseException http) {
                    int status = http.getStatusCode() >= 500 ? http.getStatusCode() : 401;
                    String retryAfter =
                            http.getHeaders() == null ? null : http.getHeaders().getRetryAfter();
                    return new UpstreamHttpException(status, retryAfter, "");
                }
            }
            return new UncheckedIOException(e);
        }

        private GoogleCredentials read() {
            JsonNode key;
            try {
                key = JSON.readTree(Files.readAllBytes(path));
            } catch (IOException e) {
                throw unreadable(e);
            }
            String type = key.path("type").asText();
            boolean serviceAccount =
                    "service_account".equals(type) && key.hasNonNull("client_email") && key.hasNonNull("private_key");
            boolean user = "authorized_user".equals(type)
                    && key.hasNonNull("client_id")
                    && key.hasNonNull("client_secret")
                    && key.hasNonNull("refresh_token");
            if (!serviceAccount && !user) {
                // only these two: an external_account file would make google-auth call URLs the file names
                throw new IllegalStateException("Vertex AI credentials file " + path
                        + " is neither a service-account key "
                        + "(type service_account, client_email, private_key) nor gcloud application-default credentials "
                        + "(type authorized_user, client_id, client_secret, refresh_token)");
            }
            // google-auth's fromStream would also demand client_id of a key; these are the fields the grants use
            URI tokenUri = URI.create(key.path("token_uri").asText(DEFAULT_TOKEN_URI));
            if (user) {
                return UserCredentials.newBuilder()
                        .setClientId(key.get("client_id").asText())
                        .setClientSecret(key.get("client_secret").asText())
                        .setRefreshToken(key.get("refresh_token").asText())
                        .setTokenServerUri(tokenUri)
                        .build();
            }
            try {
                return ServiceAccountCredentials.newBuilder()
                        .setClientEmail(key.get("client_email").asText())
                        .setPrivateKeyString(key.get("private_key").asText())
                        .setPrivateKeyId(key.path("private_key_id").asText(null))
                        .setClientId(key.path("client_id").asText(null))
                        .setProjectId(key.path("project_id").asText(null))
                        .setTokenServerUri(tokenUri)
                        .setScopes(List.of(SCOPE))
                        .build();
            } catch (IOException e) {
                throw unreadable(e);
            }
        }

        private IllegalStateException unreadable(IOException e) {
            return new IllegalStateException(
                    "Vertex AI credentials file " + path + " cannot be read: "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }
}
