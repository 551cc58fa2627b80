package dev.devloop.tools.adapters.in.mcp;

import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code tools/list} shows an MCP client only the tools its tenant and agent type may call. */
@ApplicationScoped
public class McpCallerToolFilter implements ToolFilter {
    private final McpCallers callers;

    McpCallerToolFilter(McpCallers callers) {
        this.callers = callers;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        if (context.method() != McpMethod.TOOLS_LIST) {
            // calls go through the invocation use case, which denies and audits what the caller may not use
            return true;
        }
        McpCallers.McpCaller caller = callers.current();
        return caller.missingHeader().isEmpty() && callers.maySee(caller, tool.name());
    }
}
