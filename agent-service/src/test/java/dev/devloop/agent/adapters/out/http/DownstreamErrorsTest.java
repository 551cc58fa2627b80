package dev.devloop.agent.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.devloop.agent.ports.out.DownstreamException;
import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class DownstreamErrorsTest {

    @Test
    void aConnectionClosedBeforeTheAnswerIsUnreachableLikeARefusedConnect() {
        DownstreamException closed = catchThrowableOfType(
                () -> DownstreamErrors.http("provider-gateway", () -> {
                    throw new HttpClosedException("Connection was closed");
                }),
                DownstreamException.class);
        DownstreamException refused = catchThrowableOfType(
                () -> DownstreamErrors.http("provider-gateway", () -> {
                    throw new ProcessingException(new ConnectException("Connection refused"));
                }),
                DownstreamException.class);

        assertThat(closed.status()).isZero();
        assertThat(closed.away()).isTrue();
        assertThat(closed.getMessage()).contains("unreachable");
        assertThat(refused.status()).isZero();
        assertThat(refused.away()).isEqualTo(closed.away());
    }
}
