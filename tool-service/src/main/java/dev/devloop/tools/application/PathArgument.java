package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.WorkspacePath;
import dev.devloop.tools.ports.in.ToolRefusal;

/** The {@code path} argument of the workspace and git tools: a relative path that never enters a .git directory. */
final class PathArgument {
    private PathArgument() {}

    /** The parsed {@code path}; a refusal naming {@code path} (invalid, or {@code gitRefusal} inside .git) otherwise. */
    static WorkspacePath of(JsonNode args, int maxChars, boolean rootAllowed, String gitRefusal) {
        WorkspacePath path;
        try {
            path = WorkspacePath.parse(args.path("path").asText(null), maxChars, rootAllowed);
        } catch (IllegalArgumentException e) {
            throw ToolRefusal.invalid("path", e.getMessage());
        }
        if (path.touchesGitMetadata()) {
            throw ToolRefusal.invalid("path", gitRefusal);
        }
        return path;
    }
}
