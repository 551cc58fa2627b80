package dev.devloop.provider.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.ports.out.GenerateCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a wire generate request into a {@link GenerateCommand}: provider resolved, messages, tools and options
 * checked against the configured bounds. Every rejection is an INVALID {@link Refusal} (400) naming the field.
 */
public final class GenerateRequestValidation {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_AGENT_ID = 128;

    private GenerateRequestValidation() {}

    /** Validates a wire request for a tenant; {@code providers} are the names the gateway knows. */
    public static GenerateCommand validate(
            String tenant,
            GenerateRequest request,
            RequestLimits limits,
            Set<String> providers,
            String defaultProvider) {
        if (request == null) {
            throw Refusal.invalid("body", "a JSON body is required");
        }
        String requestedProvider = request.provider();
        String model = request.model();
        if (requestedProvider == null && model != null && model.indexOf('/') > 0) {
            // "openai/gpt-4o-mini" picks the provider; "meta-llama/Llama-3" (no such provider) stays a model name
            String prefix = model.substring(0, model.indexOf('/')).toLowerCase(Locale.ROOT);
            if (providers.contains(prefix)) {
                requestedProvider = prefix;
                model = model.substring(model.indexOf('/') + 1);
            }
        }
        String provider = provider(requestedProvider, providers, defaultProvider);
        if (model != null && !MODEL.matcher(model).matches()) {
            throw Refusal.invalid("model", "model must match " + MODEL.pattern());
        }
        List<ChatMessage> messages = messages(request.messages(), limits);
        List<ToolSpec> tools = tools(request.tools(), limits);
        GenerateOptions options = options(request.options(), limits);
        String agentId = request.agentId();
        if (agentId != null && (agentId.isBlank() || agentId.length() > MAX_AGENT_ID)) {
            throw Refusal.invalid("agentId", "agentId must be 1.." + MAX_AGENT_ID + " characters");
        }
        return new GenerateCommand(tenant, provider, model, messages, tools, options, agentId);
    }

    private static String provider(String requested, Set<String> providers, String defaultProvider) {
        if (requested == null) {
            return defaultProvider;
        }
        String name = requested.trim().toLowerCase(Locale.ROOT);
        if (!providers.contains(name)) {
            throw Refusal.invalid(
                    "provider",
                    "unknown provider '" + requested + "'; known providers: "
                            + String.join(", ", providers.stream().sorted().toList()));
        }
        return name;
    }

    private static List<ChatMessage> messages(List<ChatMessage> messages, RequestLimits limits) {
        if (messages == null || messages.isEmpty()) {
            throw Refusal.invalid("messages", "at least one message is required");
        }
        if (messages.size() > limits.maxMessages()) {
            throw Refusal.invalid("messages", "at most " + limits.maxMessages() + " messages are accepted");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        Set<String> openCallIds = new HashSet<>();
        long chars = 0;
        for (int i = 0; i < messages.size(); i++) {
            String field = "messages[" + i + "]";
            ChatMessage m = messages.get(i);
            if (m == null) {
                throw Refusal.invalid(field, "message must not be null");
            }
            if (m.role() == null || !ROLES.contains(m.role())) {
                throw Refusal.invalid(field + ".role", "role must be one of system, user, assistant, tool");
            }
            List<ToolCall> calls = m.toolCalls() == null ? List.of() : m.toolCalls();
            if (!calls.isEmpty() && !"assistant".equals(m.role())) {
                throw Refusal.invalid(field + ".toolCalls", "only assistant messages carry tool calls");
            }
            switch (m.role()) {
                case "system", "user" -> {
                    if (m.content() == null || m.content().isBlank()) {
                        throw Refusal.invalid(field + ".content", "content is required for a " + m.role() + " message");
                    }
                    out.add(new ChatMessage(m.role(), m.content(), null, null, m.name()));
                }
                case "assistant" -> {
                    boolean noText = m.content() == null || m.content().isEmpty();
                    if (noText && calls.isEmpty()) {
                        throw Refusal.invalid(field + ".content", "an assistant message needs content or toolCalls");
                    }
                    List<ToolCall> normalised = new ArrayList<>(calls.size());
                    for (int j = 0; j < calls.size(); j++) {
                        ToolCall call = toolCall(calls.get(j), field + ".toolCalls[" + j + "]");
                        openCallIds.add(call.id());
                        chars += call.arguments().toString().length();
                        normalised.add(call);
                    }
                    out.add(new ChatMessage("assistant", m.content(), normalised, null, m.name()));
                }
                default -> {
                    if (m.toolCallId() == null || m.toolCallId().isBlank()) {
                        throw Refusal.invalid(
                                field + ".toolCallId", "a tool message must name the toolCallId it answers");
                    }
                    if (!openCallIds.contains(m.toolCallId())) {
                        throw Refusal.invalid(
                                field + ".toolCallId",
                                "'" + m.toolCallId() + "' answers no tool call of an earlier assistant message");
                    }
                    if (m.content() == null) {
                        throw Refusal.invalid(field + ".content", "a tool message needs content (the tool's result)");
                    }
                    out.add(new ChatMessage("tool", m.content(), null, m.toolCallId(), m.name()));
                }
            }
            chars += m.content() == null ? 0 : m.content().length();
            if (chars > limits.maxTotalChars()) {
                throw Refusal.invalid(
                        "messages",
                        "request too large: more than " + limits.maxTotalChars() + " characters of content");
            }
        }
        return out;
    }

    private static ToolCall toolCall(ToolCall call, String field) {
        if (call == null) {
            throw Refusal.invalid(field, "tool call must not be null");
        }
        if (call.id() == null || call.id().isBlank()) {
            throw Refusal.invalid(field + ".id", "tool call id is required");
        }
        if (call.name() == null || !TOOL_NAME.matcher(call.name()).matches()) {
            throw Refusal.invalid(field + ".name", "tool name must match " + TOOL_NAME.pattern());
        }
        JsonNode args = call.arguments();
        if (args == null || args.isNull()) {
            args = JsonNodeFactory.instance.objectNode();
        }
        if (!args.isObject()) {
            throw Refusal.invalid(field + ".arguments", "arguments must be a JSON object");
        }
        return new ToolCall(call.id(), call.name(), args);
    }

    private static List<ToolSpec> tools(List<ToolSpec> tools, RequestLimits limits) {
        if (tools == null || tools.isEmpty()) {
            return List.of();
        }
        if (tools.size() > limits.maxTools()) {
            throw Refusal.invalid("tools", "at most " + limits.maxTools() + " tools are accepted");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String field = "tools[" + i + "]";
            ToolSpec tool = tools.get(i);
            if (tool == null) {
                throw Refusal.invalid(field, "tool must not be null");
            }
            if (tool.name() == null || !TOOL_NAME.matcher(tool.name()).matches()) {
                throw Refusal.invalid(field + ".name", "tool name must match " + TOOL_NAME.pattern());
            }
            if (!names.add(tool.name())) {
                throw Refusal.invalid(field + ".name", "duplicate tool name '" + tool.name() + "'");
            }
            if (tool.parameters() != null && !tool.parameters().isNull()) {
                ToolSchemas.validateParameters(tool.parameters(), field + ".parameters", limits.maxSchemaDepth());
            }
        }
        return tools;
    }

    private static GenerateOptions options(GenerateOptions options, RequestLimits limits) {
        if (options == null) {
            return new GenerateOptions(null, null, null, null);
        }
        Double t = options.temperature();
        if (t != null && (t.isNaN() || t < 0 || t > 2)) {
            throw Refusal.invalid("options.temperature", "temperature must be between 0 and 2");
        }
        Double p = options.topP();
        if (p != null && (p.isNaN() || p <= 0 || p > 1)) {
            throw Refusal.invalid("options.topP", "topP must be in (0, 1]");
        }
        Integer max = options.maxTokens();
        if (max != null && (max < 1 || max > limits.maxOutputTokens())) {
            throw Refusal.invalid("options.maxTokens", "maxTokens must be 1.." + limits.maxOutputTokens());
        }
        List<String> stop = options.stop();
        if (stop != null) {
            if (stop.size() > limits.maxStopSequences()) {
                throw Refusal.invalid("options.stop", "at most " + limits.maxStopSequences() + " stop sequences");
            }
            for (int i = 0; i < stop.size(); i++) {
                if (stop.get(i) == null || stop.get(i).isEmpty()) {
                    throw Refusal.invalid("options.stop[" + i + "]", "stop sequence must not be empty");
                }
            }
            stop = List.copyOf(stop);
        }
        return new GenerateOptions(t, max, p, stop);
    }
}
