package dev.devloop.gateway.domain;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sibling service's answer, kept verbatim so the gateway passes status and body through unchanged.
 *
 * <p>The body is copied in and out ({@link #body()}), as a record with an array would; the hot read path takes an
 * answer's fresh bytes over without a copy ({@link #adopt}) and reads them in place ({@link #bodyView()}): a
 * forwarded read's body was otherwise copied twice more on its way through (stop 39's allocation profile).
 */
public final class DownstreamResponse {
    private final int status;
    private final String contentType;
    private final String location;
    private final byte[] body;
    private final String nextAfter;

    /**
     * @param status the HTTP status
     * @param contentType the media type of the body, or {@code null}
     * @param location the {@code Location} header, or {@code null}
     * @param body the raw body bytes (copied; {@code null} is no body)
     * @param nextAfter a keyset list's {@code X-Devloop-Next-After} header, or {@code null}
     */
    public DownstreamResponse(int status, String contentType, String location, byte[] body, String nextAfter) {
        this(status, contentType, location, nextAfter, body == null ? new byte[0] : body.clone());
    }

    public DownstreamResponse(int status, String contentType, String location, byte[] body) {
        this(status, contentType, location, body, null);
    }

    private DownstreamResponse(int status, String contentType, String location, String nextAfter, byte[] owned) {
        this.status = status;
        this.contentType = contentType;
        this.location = location;
        this.body = owned;
        this.nextAfter = nextAfter;
    }

    /**
     * An answer holding {@code body} itself, not a copy: for bytes nobody else holds or writes (a just-read answer).
     */
    public static DownstreamResponse adopt(
            int status, String contentType, String location, byte[] body, String nextAfter) {
        return new DownstreamResponse(status, contentType, location, nextAfter, body == null ? new byte[0] : body);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public String location() {
        return location;
    }

    /** A copy of the body (never {@code null}). */
    public byte[] body() {
        return body.clone();
    }

    /** The body itself, to be read, never written (never {@code null}). */
    public byte[] bodyView() {
        return body;
    }

    public String nextAfter() {
        return nextAfter;
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
