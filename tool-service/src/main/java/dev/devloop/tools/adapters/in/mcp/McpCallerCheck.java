package dev.devloop.tools.adapters.in.mcp;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.ports.in.ToolRefusal;
import io.quarkiverse.mcp.server.InitialCheck;
import io.quarkiverse.mcp.server.InitialRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * On MCP {@code initialize}: the session needs the tenant and agent-type headers (else the
 * initialization fails naming the header); then the tools that caller may use are exposed.
 */
@ApplicationScoped
public class McpCallerCheck implements InitialCheck {
    private static final Logger LOG = Logger.getLogger(McpCallerCheck.class);
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
        McpCallers.McpCaller caller = callers.current();
        if (caller.missingHeader().isPresent()) {
            LogFields.of("missing", caller.missingHeader().get()).info(LOG, "mcp session refused");
            return CheckResult.error("missing header " + caller.missingHeader().get());
        }
        return Uni.createFrom()
                .item(() -> {
                    try {
                        int count = tools.sync(caller);
                        LogFields.of("tenant", caller.tenant(), "agentType", caller.agentType())
                                .and(
                                        "client",
                                        request.implementation() == null
                                                ? "?"
                                                : request.implementation().name())
                                .and("tools", count)
                                .info(LOG, "mcp session started");
                        return CheckResult.SUCCESS;
                    } catch (ToolRefusal invalid) {
                        return new CheckResult(true, invalid.detail());
                    }
                })
                .runSubscriptionOn(executor);
    }
}
