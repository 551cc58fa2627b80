package dev.devloop.tools.adapters.in.mcp;

import dev.devloop.tools.ports.in.ToolRefusal;
import io.quarkiverse.mcp.server.InitialCheck;
import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * On MCP {@code initialize}: the session needs the tenant and agent-type headers (else the
 * initialization fails naming the header); then the tools that caller may use are exposed.
 */
@ApplicationScoped
public class McpCallerCheck implements InitialCheck {
    private final McpCallers callers;
    private final RegistryMcpTools tools;
    private final ManagedExecutor executor;

    McpCallerCheck(McpCallers callers, RegistryMcpTools tools, ManagedExecutor executor) {
        this.callers = callers;
        this.tools = tools;
        this.executor = executor;
    }

    @Override
    public Uni<CheckResult> perform(InitialRequest request) {
        McpCallers.Caller caller = callers.current();
        if (caller.missingHeader().isPresent()) {
            Log.infof("mcp session refused missing=%s", caller.missingHeader().get());
            return CheckResult.error("missing header " + caller.missingHeader().get());
        }
        return Uni.createFrom()
                .item(() -> {
                    try {
                        int count = tools.sync(caller);
                        Log.infof(
                                "mcp session started tenant=%s agentType=%s client=%s tools=%d",
                                caller.tenant(),
                                caller.agentType(),
                                request.implementation() == null
                                        ? "?"
                                        : request.implementation().name(),
                                count);
                        return CheckResult.SUCCESS;
                    } catch (ToolRefusal invalid) {
                        return new CheckResult(true, invalid.detail());
                    }
                })
                .runSubscriptionOn(executor);
    }
}
