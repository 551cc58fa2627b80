package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.provider.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps OpenAI's chat-completions wire format to Devloop's normalised request and back, so the
 * official OpenAI clients can talk to the gateway. Field names in 400s are OpenAI's.
 */
public final class OpenAiWire {
    static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiWire() {}

    public static GenerateRequest toRequest(ChatCompletionRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("body", "a JSON object body is required");
        }
        if (body.model() == null || body.model().isBlank()) {
            throw ProblemException.badRequest("model", "model is required");
        }
        if (body.n() != null && body.n() != 1) {
            throw ProblemException.badRequest("n", "only n=1 is supported");
        }
        return new GenerateRequest(
                null, body.model(), messages(body.messages()), tools(body.tools()), options(body), null);
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            throw ProblemException.badRequest("messages", "messages must be an array");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String field = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw ProblemException.badRequest(field, "message must be an object");
            }
            String role = m.path("role").isTextual() ? m.get("role").asText() : null;
            if ("developer".equals(role)) {
                role = "system";
            }
            List<ToolCall> calls = null;
            JsonNode toolCalls = m.get("tool_calls");
            if (toolCalls != null && !toolCalls.isNull()) {
                if (!toolCalls.isArray()) {
                    throw ProblemException.badRequest(field + ".tool_calls", "tool_calls must be an array");
                }
                calls = new ArrayList<>();
                for (int j = 0; j < toolCalls.size(); j++) {
                    calls.add(toolCall(toolCalls.get(j), field + ".tool_calls[" + j + "]"));
                }
            }
            out.add(new ChatMessage(
                    role,
                    content(m.get("content"), field + ".content"),
                    calls,
                    text(m, "tool_call_id"),
                    text(m, "name")));
        }
        return out;
    }

    private static ToolCall toolCall(JsonNode call, String field) {
        JsonNode fn = call.path("function");
        String args = fn.path("arguments").isTextual() ? fn.get("arguments").asText() : null;
        JsonNode parsed;
        try {
            parsed = args == null || args.isBlank() ? JSON.createObjectNode() : JSON.readTree(args);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest(
                    field + ".function.arguments", "arguments must be a JSON object encoded as a string");
        }
        return new ToolCall(text(call, "id"), text(fn, "name"), parsed);
    }

    /** Text content, or the concatenated text parts of a content array. */
    private static String content(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < content.size(); k++) {
                JsonNode part = content.get(k);
                if (!"text".equals(part.path("type").asText())
                        || !part.path("text").isTextual()) {
                    throw ProblemException.badRequest(field + "[" + k + "]", "only text content parts are supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ProblemException.badRequest(field, "content must be a string or an array of text parts");
    }

    private static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return null;
        }
        if (!tools.isArray()) {
            throw ProblemException.badRequest("tools", "tools must be an array");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!"function".equals(tool.path("type").asText())) {
                throw ProblemException.badRequest("tools[" + i + "].type", "only function tools are supported");
            }
            JsonNode fn = tool.path("function");
            out.add(new ToolSpec(text(fn, "name"), text(fn, "description"), fn.get("parameters")));
        }
        return out;
    }

    private static GenerateOptions options(ChatCompletionRequest body) {
        Integer maxTokens = body.maxCompletionTokens() != null ? body.maxCompletionTokens() : body.maxTokens();
        List<String> stop = null;
        JsonNode s = body.stop();
        if (s != null && !s.isNull()) {
            stop = new ArrayList<>();
            if (s.isTextual()) {
                stop.add(s.asText());
            } else if (s.isArray()) {
                for (JsonNode v : s) {
                    stop.add(v.isTextual() ? v.asText() : null);
                }
            } else {
                throw ProblemException.badRequest("stop", "stop must be a string or an array of strings");
            }
        }
        return new GenerateOptions(body.temperature(), maxTokens, body.topP(), stop);
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** OpenAI finish reasons: Devloop's {@code other} has no OpenAI twin and becomes {@code stop}. */
    static String finishReason(String normalised) {
        return "other".equals(normalised) || normalised == null ? "stop" : normalised;
    }

    public static ObjectNode completion(String id, long created, GenerateResponse r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", r.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", r.text());
        if (r.reasoning() != null) {
            message.put("reasoning_content", r.reasoning());
        }
        if (r.wantsTools()) {
            toolCalls(message.putArray("tool_calls"), r.toolCalls(), false);
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(r.finishReason()));
        usage(root, r.usage());
        root.putNull("system_fingerprint");
        return root;
    }

    static void toolCalls(ArrayNode array, List<ToolCall> calls, boolean indexed) {
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            ObjectNode c = array.addObject();
            if (indexed) {
                c.put("index", i);
            }
            c.put("id", call.id());
            c.put("type", "function");
            ObjectNode fn = c.putObject("function");
            fn.put("name", call.name());
            fn.put(
                    "arguments",
                    call.arguments() == null ? "{}" : call.arguments().toString());
        }
    }

    static void usage(ObjectNode root, Usage usage) {
        Usage u = usage == null ? Usage.NONE : usage;
        ObjectNode node = root.putObject("usage");
        node.put("prompt_tokens", u.inputTokens());
        node.put("completion_tokens", u.outputTokens());
        node.put("total_tokens", u.totalTokens());
    }

    /** One {@code chat.completion.chunk}; {@code delta} may be null for a usage-only chunk. */
    static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion.chunk");
        root.put("created", created);
        root.put("model", model);
        root.putNull("system_fingerprint");
        ArrayNode choices = root.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return root;
    }
}
