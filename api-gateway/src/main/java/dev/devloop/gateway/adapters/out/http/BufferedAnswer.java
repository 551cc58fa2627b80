package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.StreamedAnswer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A streamed call's answer that was read whole (a 5xx seen by the circuit breaker); holds no slot. */
final class BufferedAnswer implements StreamedAnswer {
    private final DownstreamResponse answer;
    private final InputStream body;

    BufferedAnswer(DownstreamResponse answer) {
        this.answer = answer;
        this.body = new ByteArrayInputStream(answer.body());
    }

    @Override
    public int status() {
        return answer.status();
    }

    @Override
    public String contentType() {
        return answer.contentType();
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        // nothing held
    }
}
