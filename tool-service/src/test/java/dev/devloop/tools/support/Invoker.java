package dev.devloop.tools.support;

import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.application.InvokeToolService;
import dev.devloop.tools.application.QuotaSettings;
import dev.devloop.tools.application.ToolExecutor;
import dev.devloop.tools.application.ToolExecutors;
import dev.devloop.tools.ports.out.DependencyOutages;
import dev.devloop.tools.ports.out.TenantQuotaPort;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The invocation use case as the plain-JUnit tests build it: the given executors behind the real schema validator,
 * an in-memory idempotency ledger and run budget, {@code audit} as both audit and event sink, and the shared
 * {@link Fixtures#settings()}. No quota and no metrics unless given.
 */
public final class Invoker {
    private Invoker() {}

    public static InvokeToolService over(
            ToolRegistryPort registry,
            InMemoryPorts.Audit audit,
            Executor pool,
            Collection<? extends ToolExecutor> executors) {
        return over(registry, audit, pool, Clock.systemUTC(), executors);
    }

    public static InvokeToolService over(
            ToolRegistryPort registry,
            InMemoryPorts.Audit audit,
            Executor pool,
            Clock clock,
            Collection<? extends ToolExecutor> executors) {
        return over(registry, audit, pool, clock, executors, null, QuotaSettings.unlimited(), ToolMetricsPort.NONE);
    }

    /** The same with a per-tenant quota and metrics. */
    public static InvokeToolService over(
            ToolRegistryPort registry,
            InMemoryPorts.Audit audit,
            Executor pool,
            Clock clock,
            Collection<? extends ToolExecutor> executors,
            TenantQuotaPort quota,
            QuotaSettings quotas,
            ToolMetricsPort metrics) {
        return new InvokeToolService(
                registry,
                new ToolExecutors(List.copyOf(executors)),
                new NetworkntArgumentSchemas(16),
                new InMemoryPorts.Ledger(),
                new InMemoryPorts.Budget(),
                audit,
                audit,
                pool,
                Fixtures.settings(),
                clock,
                quota,
                quotas,
                metrics,
                DependencyOutages.NONE);
    }
}
