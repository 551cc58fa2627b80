package dev.devloop.agent.support;

import dev.devloop.agent.ports.out.ModelPort;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A deterministic model for runs that execute concurrently: each request is answered by a function of
 * the request (its user input, whether it already carries tool results), so parallel children need no
 * shared script order.
 */
public class RoutingModel implements ModelPort {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final Function<GenerateRequest, GenerateResponse> route;
    public final List<GenerateRequest> requests = new CopyOnWriteArrayList<>();

    public RoutingModel(Function<GenerateRequest, GenerateResponse> route) {
        this.route = route;
    }

    @Override
    public GenerateResponse generate(String tenant, GenerateRequest request) {
        requests.add(request);
        return route.apply(request);
    }

    public static String input(GenerateRequest r) {
        return r.messages().stream()
                .filter(m -> "user".equals(m.role()))
                .map(ChatMessage::content)
                .findFirst()
                .orElse("");
    }

    public static List<ChatMessage> toolResults(GenerateRequest r) {
        return r.messages().stream().filter(m -> "tool".equals(m.role())).toList();
    }

    public static GenerateResponse answer(String text) {
        return new GenerateResponse(text, List.of(), new Usage(10, 5, 15), "gpt-4o-mini", "scripted", "stop", false, 1);
    }

    public static GenerateResponse call(String... idNameArgs) {
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < idNameArgs.length; i += 3) {
            try {
                calls.add(new ToolCall(idNameArgs[i], idNameArgs[i + 1], JSON.readTree(idNameArgs[i + 2])));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return new GenerateResponse(
                null, calls, new Usage(20, 8, 28), "gpt-4o-mini", "scripted", "tool_calls", false, 1);
    }
}
