package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolKind;
import java.util.function.Function;

/**
 * Runs one kind of tool. Returns the output on success; throws {@link ToolFailure} when the tool ran
 * and failed (the model reads the message), or a {@code ToolRefusal} (invalid) when an argument that
 * passed the schema is still unacceptable (e.g. a path escaping the workspace).
 */
public interface ToolExecutor {
    /** The implementation name registrations refer to. */
    String name();

    /** The kind of every tool this executor backs. */
    ToolKind kind();

    JsonNode execute(ToolCall call);

    /** True when a call changes the knowledge graph; a registration of this executor must then say so. */
    default boolean writesGraph() {
        return false;
    }

    /** An executor of {@code kind} that runs {@code body}. */
    static ToolExecutor of(String name, ToolKind kind, Function<ToolCall, JsonNode> body) {
        return of(name, kind, false, body);
    }

    /** A {@code native} executor (run here) that runs {@code body}. */
    static ToolExecutor ofNative(String name, Function<ToolCall, JsonNode> body) {
        return of(name, ToolKind.NATIVE, false, body);
    }

    /** A {@code knowledge} executor (backed by knowledge-service) that runs {@code body}. */
    static ToolExecutor ofKnowledge(String name, boolean writesGraph, Function<ToolCall, JsonNode> body) {
        return of(name, ToolKind.KNOWLEDGE, writesGraph, body);
    }

    /** An executor of {@code kind} that runs {@code body} and, when {@code writesGraph}, changes the knowledge graph. */
    static ToolExecutor of(String name, ToolKind kind, boolean writesGraph, Function<ToolCall, JsonNode> body) {
        return new FunctionExecutor(name, kind, writesGraph, body);
    }

    /** The executor {@link #of} makes. */
    record FunctionExecutor(String name, ToolKind kind, boolean writesGraph, Function<ToolCall, JsonNode> body)
            implements ToolExecutor {
        @Override
        public JsonNode execute(ToolCall call) {
            return body.apply(call);
        }
    }
}
