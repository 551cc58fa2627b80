package dev.devloop.gateway.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sibling service's answer, kept verbatim so the gateway passes status and body through unchanged.
 *
 * @param status the HTTP status
 * @param contentType the media type of the body, or {@code null}
 * @param location the {@code Location} header, or {@code null}
 * @param body the raw body bytes (never {@code null})
 * @param nextAfter a keyset list's {@code X-Devloop-Next-After} header, or {@code null}
 */
public record DownstreamResponse(int status, String contentType, String location, byte[] body, String nextAfter) {
    public DownstreamResponse {
        body = body == null ? new byte[0] : body.clone();
    }

    public DownstreamResponse(int status, String contentType, String location, byte[] body) {
        this(status, contentType, location, body, null);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DownstreamResponse other
                && status == other.status
                && Objects.equals(contentType, other.contentType)
                && Objects.equals(location, other.location)
                && Objects.equals(nextAfter, other.nextAfter)
                && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(status, contentType, location) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "DownstreamResponse[status=" + status + ", contentType=" + contentType + ", bytes=" + body.length + "]";
    }
}
