package dev.devloop.gateway.domain;

import java.util.Objects;

/**
 * One call to a sibling service on behalf of a tenant.
 *
 * @param service the target service
 * @param method the HTTP method
 * @param path the downstream path, already percent-encoded ({@code /facts/a%20b/status})
 * @param query the encoded query string without {@code ?}, or {@code null}
 * @param body the request body (empty for none)
 * @param contentType the body's media type, or {@code null}
 * @param idempotent whether the call may be retried (reads and other safe calls only)
 * @param longRunning whether the call may take as long as an LLM answer (generate, RAG, invocations)
 */
public record HopRequest(
        Service service,
        String method,
        String path,
        String query,
        byte[] body,
        String contentType,
        boolean idempotent,
        boolean longRunning) {
    public HopRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** A GET of {@code path} (retried on failure). */
    public static HopRequest read(Service service, String path, String query) {
        return new HopRequest(service, "GET", path, query, null, null, true, false);
    }
}
