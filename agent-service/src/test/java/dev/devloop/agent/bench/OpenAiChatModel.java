package dev.devloop.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.provider.Usage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's model port pointed straight at an OpenAI-compatible chat-completions endpoint (the benchmark's
 * instant stub): maps the normalised request to the chat-completions wire format and back, over one pooled
 * keep-alive JDK HTTP/1.1 client — the work the OpenAI Agents SDK's chat-completions model does on its side.
 */
final class OpenAiChatModel implements ModelPort {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI endpoint;

    OpenAiChatModel(String baseUrl) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(10))
                            .header("content-type", "application/json")
                            .header("authorization", "Bearer bench")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(request))))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new DownstreamException(
                        "stub", response.statusCode(), "stub answered " + response.statusCode(), null);
            }
            return answer(JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new DownstreamException("stub", 0, "stub unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamException("stub", 0, "interrupted", e);
        }
    }

    private static ObjectNode body(GenerateRequest request) {
        ObjectNode body = JSON.createObjectNode().put("model", request.model() == null ? "stub" : request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode message = messages.addObject().put("role", m.role());
            message.put("content", m.content());
            if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCall call : m.toolCalls()) {
                    calls.addObject()
                            .put("id", call.id())
                            .put("type", "function")
                            .putObject("function")
                            .put("name", call.name())
                            .put(
                                    "arguments",
                                    call.arguments() == null
                                            ? "{}"
                                            : call.arguments().toString());
                }
            }
            if (m.toolCallId() != null) {
                message.put("tool_call_id", m.toolCallId());
            }
        }
        if (request.tools() != null && !request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec spec : request.tools()) {
                tools.addObject()
                        .put("type", "function")
                        .putObject("function")
                        .put("name", spec.name())
                        .put("description", spec.description())
                        .set("parameters", spec.parameters());
            }
        }
        return body;
    }

    private static GenerateResponse answer(JsonNode reply) throws IOException {
        JsonNode choice = reply.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(new ToolCall(
                    call.path("id").asText(),
                    call.path("function").path("name").asText(),
                    JSON.readTree(call.path("function").path("arguments").asText("{}"))));
        }
        JsonNode usage = reply.path("usage");
        return new GenerateResponse(
                message.path("content").isTextual() ? message.path("content").asText() : null,
                calls,
                new Usage(
                        usage.path("prompt_tokens").asLong(),
                        usage.path("completion_tokens").asLong(),
                        usage.path("total_tokens").asLong()),
                reply.path("model").asText(null),
                "openai",
                choice.path("finish_reason").asText("stop"),
                false,
                0);
    }
}
