package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /v1/chat/completions}: the fields of OpenAI's chat request this gateway reads. {@code messages},
 * {@code tools} and {@code stop} stay JSON trees because {@link OpenAiWire} checks them part by part and names the
 * part at fault in OpenAI's terms ({@code messages[0].content[1]}, {@code tools[2].type}). Every other field a client
 * sends is kept in {@link #others()} (and written back by Jackson) so nothing is lost, though no provider call uses
 * them today.
 */
@RegisterForReflection
public record ChatCompletionRequest(
        @Schema(description = "a model, provider/model or alias (GET /v1/models)", required = true)
        @JsonDeserialize(using = StrictJson.Text.class)
        String model,

        @Schema(
                type = SchemaType.ARRAY,
                description = "OpenAI chat messages: role, content (a string or text parts), tool_calls,"
                        + " tool_call_id, name",
                required = true)
        JsonNode messages,

        @Schema(
                type = SchemaType.ARRAY,
                description = "function tools: {type: function, function: {name," + " description, parameters}}")
        JsonNode tools,

        @JsonDeserialize(using = StrictJson.Flag.class) Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,

        @Schema(
                description = "a stop sequence or an array of them",
                oneOf = {String.class, String[].class})
        JsonNode stop,

        @Schema(description = "only 1 is supported", minimum = "1", maximum = "1")
        Integer n,

        @JsonAnySetter @Schema(hidden = true) Map<String, JsonNode> others) {

    public ChatCompletionRequest {
        others = others == null ? new LinkedHashMap<>() : others;
    }

    /** The fields this gateway does not read, as sent. */
    @Override
    @JsonAnyGetter
    public Map<String, JsonNode> others() {
        return others;
    }

    /** {@code stream_options}: whether a streamed answer ends with a usage chunk. */
    @RegisterForReflection
    public record StreamOptions(
            @JsonProperty("include_usage") Boolean includeUsage) {}

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }
}
