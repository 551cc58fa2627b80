package dev.devloop.tools.adapters.out.metrics;

import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * Prometheus counters of the invocation path: {@code devloop_tools_quota_refusals_total{window, kind}},
 * {@code devloop_tools_git_secret_refusals_total{operation, rule}}, {@code devloop_tools_forge_calls_total{tool,
 * outcome}} and the timer {@code devloop_tools_forge_check_duration_seconds{conclusion}}.
 * Both labels are closed sets (2 windows × 4 kinds), so the series count is bounded whatever tenants and
 * tools exist; the tenant is in the audit, not in a label.
 */
@ApplicationScoped
public class MicrometerToolMetrics implements ToolMetricsPort {
    static final String QUOTA_REFUSALS = "devloop.tools.quota.refusals";
    static final String SECRET_REFUSALS = "devloop.tools.git.secret.refusals";
    static final String FORGE_CALLS = "devloop.tools.forge.calls";
    static final String CHECK_DURATION = "devloop.tools.forge.check.duration";
    private final MeterRegistry registry;
    private final Map<ToolKind, Counter> perMinute = new EnumMap<>(ToolKind.class);
    private final Map<ToolKind, Counter> perDay = new EnumMap<>(ToolKind.class);

    MicrometerToolMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ToolKind kind : ToolKind.values()) {
            perMinute.put(kind, counter(registry, "minute", kind));
            perDay.put(kind, counter(registry, "day", kind));
        }
    }

    private static Counter counter(MeterRegistry registry, String window, ToolKind kind) {
        return Counter.builder(QUOTA_REFUSALS)
                .description(
                        "Tool calls refused by the per-tenant quota (HTTP 429), by the window that ran out and tool kind")
                .tag("window", window)
                .tag("kind", kind.wire())
                .register(registry);
    }

    /** Labels: operation (commit, push) × the scanner's rule names, both closed sets. */
    @Override
    public void secretScanRefused(String operation, String rule) {
        Counter.builder(SECRET_REFUSALS)
                .description("git commits and pushes refused by the secret scan, by operation and the rule that fired")
                .tag("operation", operation)
                .tag("rule", rule)
                .register(registry)
                .increment();
    }

    /** Labels: the nine forge tools × four outcomes. */
    @Override
    public void forgeCall(String tool, String outcome) {
        Counter.builder(FORGE_CALLS)
                .description("Forge tool calls, by tool and outcome")
                .tag("tool", tool)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Label: the check's conclusion (success, failure, timed_out, cancelled). */
    @Override
    public void checkCompleted(String conclusion, long durationMs) {
        io.micrometer.core.instrument.Timer.builder(CHECK_DURATION)
                .description("Local forge check runs (the operator's check command), by conclusion")
                .tag("conclusion", conclusion)
                .register(registry)
                .record(java.time.Duration.ofMillis(Math.max(0, durationMs)));
    }

    @Override
    public void quotaRefused(String window, ToolKind kind) {
        ("day".equals(window) ? perDay : perMinute).get(kind).increment();
    }
}
