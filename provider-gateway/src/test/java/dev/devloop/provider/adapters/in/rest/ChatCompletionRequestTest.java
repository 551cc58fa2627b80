package dev.devloop.provider.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.devloop.contracts.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** The OpenAI chat request record: the fields the gateway reads are typed, every other field is kept as sent. */
class ChatCompletionRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keepsTheFieldsItDoesNotRead() throws Exception {
        ChatCompletionRequest r = JSON.readValue(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":7,"
                        + "\"response_format\":{\"type\":\"json_object\"},\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"max_completion_tokens\":9,\"max_tokens\":3}",
                ChatCompletionRequest.class);
        assertThat(r.others()).containsOnlyKeys("seed", "response_format");
        assertThat(r.others().get("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(r.streaming()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        assertThat(OpenAiWire.toRequest(r).options().maxTokens()).isEqualTo(9);
        assertThat(JSON.readTree(JSON.writeValueAsString(r)).path("seed").asInt())
                .isEqualTo(7);
    }

    @Test
    void aWrongTypeNamesTheField() {
        assertThatThrownBy(() -> JSON.readValue("{\"model\":5,\"messages\":[]}", ChatCompletionRequest.class))
                .isInstanceOfSatisfying(
                        MismatchedInputException.class,
                        e -> assertThat(e.getPath().get(0).getFieldName()).isEqualTo("model"));
        assertThatThrownBy(() -> JSON.readValue("{\"model\":\"m\",\"stream\":\"yes\"}", ChatCompletionRequest.class))
                .isInstanceOfSatisfying(
                        MismatchedInputException.class,
                        e -> assertThat(e.getPath().get(0).getFieldName()).isEqualTo("stream"));
        assertThatThrownBy(() -> OpenAiWire.toRequest(
                        new ChatCompletionRequest("m", null, null, null, null, null, null, null, null, null, 2, null)))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.problem().field()).isEqualTo("n"));
    }
}
