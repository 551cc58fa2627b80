package dev.devloop.provider.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.ports.out.GenerateCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Validation rules of a generate request: every rejection names its field. */
class GenerateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestLimits LIMITS = new RequestLimits(5, 100, 2, 3, 1000, 2);

    private static GenerateCommand validate(GenerateRequest r) {
        return GenerateRequestValidation.validate("t-1", r, LIMITS, Set.of("openai"), "openai");
    }

    private static String fieldOf(GenerateRequest r) {
        try {
            validate(r);
        } catch (Refusal e) {
            assertThat(e.problem().status()).isEqualTo(400);
            return e.problem().field();
        }
        throw new AssertionError("expected a 400");
    }

    private static GenerateRequest withMessages(List<ChatMessage> messages) {
        return new GenerateRequest(null, null, messages, null, null, null);
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void defaultsProviderAndKeepsMessages() {
        GenerateCommand c = validate(withMessages(List.of(ChatMessage.user("hi"))));
        assertThat(c.provider()).isEqualTo("openai");
        assertThat(c.model()).isNull();
        assertThat(c.messages()).hasSize(1);
        assertThat(c.tools()).isEmpty();
    }

    @Test
    void rejectsMissingBodyAndEmptyMessages() {
        assertThatThrownBy(() -> validate(null)).isInstanceOf(Refusal.class);
        assertThat(fieldOf(withMessages(null))).isEqualTo("messages");
        assertThat(fieldOf(withMessages(List.of()))).isEqualTo("messages");
    }

    @Test
    void rejectsUnknownRoleWithIndex() {
        assertThat(fieldOf(
                        withMessages(List.of(ChatMessage.user("a"), new ChatMessage("robot", "x", null, null, null)))))
                .isEqualTo("messages[1].role");
        assertThat(fieldOf(withMessages(List.of(new ChatMessage(null, "x", null, null, null)))))
                .isEqualTo("messages[0].role");
    }

    @Test
    void rejectsUnknownProviderAndBadModel() {
        assertThat(fieldOf(new GenerateRequest("nope", null, List.of(ChatMessage.user("a")), null, null, null)))
                .isEqualTo("provider");
        assertThat(fieldOf(new GenerateRequest(null, "bad model!", List.of(ChatMessage.user("a")), null, null, null)))
                .isEqualTo("model");
        assertThat(validate(new GenerateRequest("OpenAI", "gpt-4o", List.of(ChatMessage.user("a")), null, null, null))
                        .provider())
                .isEqualTo("openai");
    }

    @Test
    void toolMessageMustAnswerAnEarlierCall() throws Exception {
        ToolCall call = new ToolCall("call_1", "store_fact", json("{\"a\":1}"));
        assertThat(fieldOf(withMessages(
                        List.of(ChatMessage.user("a"), ChatMessage.toolResult("call_9", "store_fact", "ok")))))
                .isEqualTo("messages[1].toolCallId");
        assertThat(fieldOf(
                        withMessages(List.of(ChatMessage.user("a"), new ChatMessage("tool", "ok", null, null, null)))))
                .isEqualTo("messages[1].toolCallId");
        GenerateCommand ok = validate(withMessages(List.of(
                ChatMessage.user("a"),
                ChatMessage.assistant(null, List.of(call)),
                ChatMessage.toolResult("call_1", null, "ok"))));
        assertThat(ok.messages()).hasSize(3);
    }

    @Test
    void toolCallArgumentsMustBeObjects() throws Exception {
        ToolCall bad = new ToolCall("c1", "f", json("[1]"));
        assertThat(fieldOf(withMessages(List.of(ChatMessage.user("a"), ChatMessage.assistant(null, List.of(bad))))))
                .isEqualTo("messages[1].toolCalls[0].arguments");
        ToolCall nullArgs = new ToolCall("c1", "f", null);
        GenerateCommand c =
                validate(withMessages(List.of(ChatMessage.user("a"), ChatMessage.assistant(null, List.of(nullArgs)))));
        assertThat(c.messages().get(1).toolCalls().get(0).arguments().isObject())
                .isTrue();
    }

    @Test
    void toolsMustHaveObjectSchemas() throws Exception {
        List<ChatMessage> m = List.of(ChatMessage.user("a"));
        assertThat(fieldOf(new GenerateRequest(
                        null, null, m, List.of(new ToolSpec("f", "d", json("{\"type\":\"string\"}"))), null, null)))
                .isEqualTo("tools[0].parameters");
        assertThat(fieldOf(new GenerateRequest(null, null, m, List.of(new ToolSpec("f", "d", json("[]"))), null, null)))
                .isEqualTo("tools[0].parameters");
        assertThat(fieldOf(new GenerateRequest(
                        null,
                        null,
                        m,
                        List.of(new ToolSpec(
                                "f", "d", json("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"strang\"}}}"))),
                        null,
                        null)))
                .isEqualTo("tools[0].parameters.properties.x.type");
        assertThat(fieldOf(new GenerateRequest(
                        null,
                        null,
                        m,
                        List.of(new ToolSpec(
                                "f", "d", json("{\"type\":\"object\",\"properties\":{},\"required\":[\"x\"]}"))),
                        null,
                        null)))
                .isEqualTo("tools[0].parameters.required");
        assertThat(fieldOf(new GenerateRequest(
                        null,
                        null,
                        m,
                        List.of(new ToolSpec("f", "d", null), new ToolSpec("f", "d", null)),
                        null,
                        null)))
                .isEqualTo("tools[1].name");
        String deep =
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"object\","
                        + "\"properties\":{\"c\":{\"type\":\"object\",\"properties\":{\"d\":{\"type\":\"string\"}}}}}}}}}";
        assertThat(fieldOf(new GenerateRequest(null, null, m, List.of(new ToolSpec("f", "d", json(deep))), null, null)))
                .startsWith("tools[0].parameters.properties.a");
    }

    @Test
    void enforcesConfiguredBounds() {
        List<ChatMessage> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(ChatMessage.user("m" + i));
        }
        assertThat(fieldOf(withMessages(six))).isEqualTo("messages");
        assertThat(fieldOf(withMessages(List.of(ChatMessage.user("x".repeat(101))))))
                .isEqualTo("messages");
        List<ToolSpec> three =
                List.of(new ToolSpec("a", null, null), new ToolSpec("b", null, null), new ToolSpec("c", null, null));
        assertThat(fieldOf(new GenerateRequest(null, null, List.of(ChatMessage.user("a")), three, null, null)))
                .isEqualTo("tools");
    }

    @Test
    void validatesOptions() {
        List<ChatMessage> m = List.of(ChatMessage.user("a"));
        assertThat(fieldOf(new GenerateRequest(null, null, m, null, new GenerateOptions(3.0, null, null, null), null)))
                .isEqualTo("options.temperature");
        assertThat(fieldOf(new GenerateRequest(null, null, m, null, new GenerateOptions(null, 5000, null, null), null)))
                .isEqualTo("options.maxTokens");
        assertThat(fieldOf(new GenerateRequest(null, null, m, null, new GenerateOptions(null, null, 0.0, null), null)))
                .isEqualTo("options.topP");
        assertThat(fieldOf(new GenerateRequest(
                        null, null, m, null, new GenerateOptions(null, null, null, List.of("a", "b", "c")), null)))
                .isEqualTo("options.stop");
    }

    @Test
    void systemAndUserNeedContent() {
        assertThat(fieldOf(withMessages(List.of(new ChatMessage("user", " ", null, null, null)))))
                .isEqualTo("messages[0].content");
        assertThat(fieldOf(withMessages(List.of(new ChatMessage("assistant", null, null, null, null)))))
                .isEqualTo("messages[0].content");
    }
}
