package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ToolKind;

/**
 * Runs one kind of tool. Returns the output on success; throws {@link ToolFailure} when the tool ran
 * and failed (the model reads the message), or a 400 {@code ProblemException} when an argument that
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
}
