package dev.devloop.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventCodecTest {
    private final ObjectMapper json = new ObjectMapper();
    private final CloudEventCodec codec = new CloudEventCodec(json);
    private final CloudEventCodec.Limits limits = new CloudEventCodec.Limits(2048, 40);

    private CloudEvent event(String tenant) {
        return CloudEvent.of(
                EventNames.source("agent-service"),
                EventNames.type("agent", "run.finished"),
                "run-1",
                tenant,
                json.valueToTree(Map.of("runId", "run-1")));
    }

    @Test
    void anEncodedEventDecodesToTheSameEvent() {
        CloudEvent event = event("acme");
        assertThat(codec.decode(codec.encode(event), limits)).isEqualTo(event);
    }

    @Test
    void everyRefusalNamesTheAttributeToFix() {
        assertRefused("{}", "'specversion'");
        assertRefused("{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\",\"tenant\":\"a\",\"data\":{}}", "'id'");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"t\",\"tenant\":\"a\",\"data\":{}}", "'source'");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"data\":{}}", "'tenant'");
        assertRefused(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"tenant\":\"a b\",\"data\":{}}",
                "'tenant' must match");
        assertRefused(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"tenant\":\"a\",\"data\":[1]}",
                "'data'");
        assertRefused(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":7,\"tenant\":\"a\",\"data\":{}}",
                "'type' must be a string");
        assertRefused("[1]", "JSON object");
        assertRefused("{not json", "not a JSON CloudEvent");
    }

    @Test
    void sizeAndIdAreBounded() {
        CloudEvent big = CloudEvent.of(
                "/devloop/x", "dev.devloop.x.y", null, "acme", json.valueToTree(Map.of("v", "x".repeat(3000))));
        assertRefused(codec.encode(big), "larger than 2048 bytes");
        String longId =
                codec.encode(event("acme")).replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"" + "i".repeat(41) + "\"");
        assertRefused(longId, "'id' is longer than 40");
    }

    @Test
    void namesFollowTheScheme() {
        assertThat(EventNames.type("provider", "usage")).isEqualTo("dev.devloop.provider.usage");
        assertThat(EventNames.source("provider-gateway")).isEqualTo("/devloop/provider-gateway");
        assertThatThrownBy(() -> EventNames.type("Provider", "usage")).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventNames.isDevloopType("provider.usage")).isFalse();
    }

    private void assertRefused(String payload, String reason) {
        assertThatThrownBy(() -> codec.decode(payload, limits))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.kind())
                        .isEqualTo(InvalidEventException.Kind.MALFORMED))
                .hasMessageContaining(reason);
    }
}
