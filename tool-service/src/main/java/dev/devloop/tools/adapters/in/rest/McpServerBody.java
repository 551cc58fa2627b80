package dev.devloop.tools.adapters.in.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Body of {@code POST /mcp-servers}: import a remote MCP server's tools. */
@RegisterForReflection
public record McpServerBody(
        String name, String url, String transport, List<String> allowedAgentTypes, Long timeoutMs) {}
