package dev.devloop.tools.adapters.out.http;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.identity.ServiceTokens;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.ServiceAdminPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Administrative calls to Devloop's services with the JDK client: bounded, no redirects, signed for the owning
 * service and acting for the tenant (the tenant header travels too, for owners that log it).
 */
// Not a Quarkus REST client (#19): each endpoint's HTTP verb and URL are configuration (devloop.tools.operations.*),
// which a typed interface cannot declare (it would be one method per verb over an opaque path).
public class JdkServiceAdmin implements ServiceAdminPort {
    private final HttpClient client;
    private final ServiceTokens tokens;

    public JdkServiceAdmin(long connectTimeoutMs, ServiceTokens tokens) {
        this(connectTimeoutMs, tokens, Optional.empty());
    }

    /** With the cell's mTLS context (contracts {@code CellTls}) when the cell runs mTLS: its certificate goes along. */
    public JdkServiceAdmin(long connectTimeoutMs, ServiceTokens tokens, Optional<SSLContext> cellTls) {
        this.tokens = tokens;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(connectTimeoutMs));
        cellTls.ifPresent(builder::sslContext);
        this.client = builder.build();
    }

    @Override
    public Answer send(
            String owner, String method, URI uri, String tenant, String jsonBody, long timeoutMs, int maxBodyBytes) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Authorization", tokens.bearer(owner, tenant, null, List.of()))
                .header(Headers.TENANT, tenant)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(maxBodyBytes);
                return new Answer(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new DownstreamException(method + " " + uri.getHost() + ":" + uri.getPort() + uri.getRawPath()
                    + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamException(method + " " + uri.getRawPath() + " was interrupted");
        }
    }
}
