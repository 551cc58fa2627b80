package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.UpstreamHttpException;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a non-2xx answer of an OpenAI-style endpoint into an {@link UpstreamHttpException} that
 * keeps the status and the {@code Retry-After} header, so a 429 can be passed on faithfully.
 */
@Provider
public class UpstreamStatusFilter implements ClientResponseFilter {
    private static final int MAX_ERROR_BODY = 8192;

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        int status = response.getStatus();
        if (status < 400 || !isModelEndpoint(request.getUri().getPath())) {
            return;
        }
        String body = "";
        if (response.hasEntity()) {
            try (InputStream in = response.getEntityStream()) {
                body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
            }
        }
        throw new UpstreamHttpException(status, response.getHeaderString("Retry-After"), body);
    }

    private static boolean isModelEndpoint(String path) {
        return path != null
                && (path.endsWith("/chat/completions")
                        || path.endsWith("/completions")
                        || path.endsWith("/embeddings")
                        || path.endsWith("/models"));
    }
}
