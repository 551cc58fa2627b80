package dev.devloop.tools.adapters.in.rest;

import dev.devloop.tools.domain.McpServer;
import dev.devloop.tools.ports.in.ManageMcpServersUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** An imported MCP server as the API shows it: its tools by registry id, and any remote tools left out. */
@RegisterForReflection
public record McpServerView(
        String name,
        String url,
        String transport,
        List<String> allowedAgentTypes,
        List<ImportedToolView> tools,
        List<SkippedView> skipped,
        Instant createdAt) {

    /** One imported tool: registry id and the remote tool's name. */
    @RegisterForReflection
    public record ImportedToolView(String id, String remoteName) {}

    /** A remote tool not imported, and why. */
    @RegisterForReflection
    public record SkippedView(String tool, String reason) {}

    static McpServerView of(McpServer server, List<ManageMcpServersUseCase.Skipped> skipped) {
        return new McpServerView(
                server.name(),
                server.url(),
                server.transport().wire(),
                server.allowedAgentTypes(),
                server.tools().stream()
                        .map(t -> new ImportedToolView(t.toolId(), t.remoteName()))
                        .toList(),
                skipped.stream().map(s -> new SkippedView(s.tool(), s.reason())).toList(),
                server.createdAt());
    }
}
