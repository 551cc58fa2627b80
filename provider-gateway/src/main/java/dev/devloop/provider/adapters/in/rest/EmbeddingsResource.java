package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.ports.in.EmbedUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/embeddings}, OpenAI-compatible: {@code input} a string or an array of strings,
 * {@code encoding_format} {@code float} (default) or {@code base64} (little-endian float32, what the
 * official clients ask for), optional {@code dimensions}, {@code user} as the agent id.
 */
@Tag(name = "OpenAI-compatible", description = "OpenAI's chat, embeddings and models API; errors in OpenAI's shape")
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final EmbedUseCase embed;
    private final Caller caller;

    public EmbeddingsResource(EmbedUseCase embed, Caller caller) {
        this.embed = embed;
        this.caller = caller;
    }

    /** The OpenAI embeddings request fields this gateway reads; others are ignored, as OpenAI's optional ones. */
    @RegisterForReflection
    public record EmbeddingsRequest(
            @Schema(
                    description = "the text, or an array of texts (token arrays are not accepted)",
                    oneOf = {String.class, String[].class},
                    required = true)
            JsonNode input,

            @JsonDeserialize(using = StrictJson.Text.class) String model,

            @JsonProperty("encoding_format")
            @Schema(
                    enumeration = {"float", "base64"},
                    defaultValue = "float")
            @JsonDeserialize(using = StrictJson.Text.class)
            String encodingFormat,

            Integer dimensions,

            @Schema(description = "the calling agent's id, for the usage ledger", maxLength = 128)
            @JsonDeserialize(using = StrictJson.Text.class)
            String user) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(
            responseCode = "429",
            description = "The tenant's monthly budget is spent (insufficient_quota)",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = OpenAiErrors.Body.class)),
                @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))
            })
    @Operation(summary = "Embed one text or several (OpenAI-compatible)")
    public String embeddings(EmbeddingsRequest body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON object is required");
        }
        JsonNode input = body.input();
        List<String> inputs = new ArrayList<>();
        if (input == null || input.isNull()) {
            throw ProblemException.badRequest("input", "input is required");
        } else if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw ProblemException.badRequest(
                            "input[" + i + "]", "inputs must be strings (token arrays are not accepted)");
                }
                inputs.add(input.get(i).asText());
            }
        } else {
            throw ProblemException.badRequest("input", "input must be a string or an array of strings");
        }
        String format = body.encodingFormat() == null ? "float" : body.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw ProblemException.badRequest("encoding_format", "encoding_format must be float or base64");
        }
        String agentId = body.user();
        if (agentId != null && agentId.length() > 128) {
            throw ProblemException.badRequest("user", "user must be at most 128 characters");
        }
        EmbedUseCase.Embedded result = embed.embed(tenant, body.model(), inputs, body.dimensions(), agentId);
        ObjectNode root = OpenAiWire.JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        List<float[]> vectors = result.answer().vectors();
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            float[] v = vectors.get(i);
            if (format.equals("base64")) {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    buf.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode arr = item.putArray("embedding");
                for (float f : v) {
                    arr.add(f);
                }
            }
        }
        root.put("model", result.answer().model());
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", result.answer().inputTokens());
        usage.put("total_tokens", result.answer().inputTokens());
        return root.toString();
    }
}
