package dev.devloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answer's bytes: copied in and out by the constructor and {@link DownstreamResponse#body()}; taken over by adopt. */
class DownstreamResponseTest {

    @Test
    void theConstructorAndBodyCopySoNoCallerChangesAnAnswer() {
        byte[] sent = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        DownstreamResponse answer = new DownstreamResponse(200, "application/json", null, sent);
        sent[0] = 'X';
        byte[] got = answer.body();
        got[1] = 'Y';
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(answer.bodyView()).isNotSameAs(sent);
    }

    @Test
    void adoptTakesTheBytesOverWithoutACopyAndEqualsTheCopyingAnswer() {
        byte[] fresh = "[1,2]".getBytes(StandardCharsets.UTF_8);
        DownstreamResponse adopted = DownstreamResponse.adopt(200, "application/json", "/x", fresh, "k");
        assertThat(adopted.bodyView()).isSameAs(fresh);
        assertThat(adopted.body()).isNotSameAs(fresh).isEqualTo(fresh);
        DownstreamResponse copied = new DownstreamResponse(200, "application/json", "/x", fresh, "k");
        assertThat(adopted).isEqualTo(copied).hasSameHashCodeAs(copied);
        assertThat(adopted.nextAfter()).isEqualTo("k");
        assertThat(adopted.location()).isEqualTo("/x");
    }

    @Test
    void noBodyIsAnEmptyBody() {
        assertThat(DownstreamResponse.adopt(204, null, null, null, null).bodyView())
                .isEmpty();
        assertThat(new DownstreamResponse(204, null, null, null).body()).isEmpty();
    }
}
