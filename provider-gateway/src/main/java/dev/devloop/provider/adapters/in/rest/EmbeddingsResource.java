package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.provider.ports.in.EmbedUseCase;
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

/**
 * {@code POST /v1/embeddings}, OpenAI-compatible: {@code input} a string or an array of strings,
 * {@code encoding_format} {@code float} (default) or {@code base64} (little-endian float32, what the
 * official clients ask for), optional {@code dimensions}, {@code user} as the agent id.
 */
@Path("/v1/embeddings")
public class EmbeddingsResource {
    private final EmbedUseCase embed;
    private final Caller caller;

    public EmbeddingsResource(EmbedUseCase embed, Caller caller) {
        this.embed = embed;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String embeddings(JsonNode body) {
        String tenant = caller.tenant();
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("body", "a JSON object is required");
        }
        JsonNode input = body.get("input");
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
        JsonNode modelNode = body.get("model");
        if (modelNode != null && !modelNode.isNull() && !modelNode.isTextual()) {
            throw ProblemException.badRequest("model", "model must be a string");
        }
        String format = body.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ProblemException.badRequest("encoding_format", "encoding_format must be float or base64");
        }
        JsonNode dims = body.get("dimensions");
        if (dims != null && !dims.isNull() && !dims.canConvertToInt()) {
            throw ProblemException.badRequest("dimensions", "dimensions must be an integer");
        }
        String agentId = body.hasNonNull("user") ? body.get("user").asText() : null;
        if (agentId != null && agentId.length() > 128) {
            throw ProblemException.badRequest("user", "user must be at most 128 characters");
        }
        EmbedUseCase.Embedded result = embed.embed(
                tenant,
                modelNode == null || modelNode.isNull() ? null : modelNode.asText(),
                inputs,
                dims == null || dims.isNull() ? null : dims.asInt(),
                agentId);
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
