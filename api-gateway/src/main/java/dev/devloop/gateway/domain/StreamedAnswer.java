package dev.devloop.gateway.domain;

import java.io.IOException;
import java.io.InputStream;

/**
 * A sibling service's answer whose body is read as it arrives (an SSE stream). Closing it ends the
 * downstream exchange (cancelling the call) and frees the hop's bulkhead slot; it must always be closed.
 */
public interface StreamedAnswer extends AutoCloseable {
    int status();

    /** The media type of the body, or {@code null}. */
    String contentType();

    /** The body, bytes as they arrive; {@code read} returns what has arrived so far (at least one byte) or -1. */
    InputStream body();

    /** Reads what is left of the body, at most {@code max} bytes (for a non-streamed answer such as an error). */
    default byte[] readAll(int max) throws IOException {
        return body().readNBytes(max);
    }

    @Override
    void close();
}
