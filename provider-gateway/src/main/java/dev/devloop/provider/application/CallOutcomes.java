package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * What happens after each provider call of a generate request: measured (metrics, one log line), priced and added to
 * the tenant's spend, turned into the caller's response, and written to the usage ledger ({@link UsageRecorder}).
 */
final class CallOutcomes {
    private static final Logger LOG = Logger.getLogger(CallOutcomes.class);

    private final ProviderMetricsPort metrics;
    private final GatewayPolicies policies;
    private final UsageRecorder usage;
    private final PiiMasking masking;
    private final Clock clock;
    private final LongSupplier nanoClock;

    CallOutcomes(
            ProviderMetricsPort metrics,
            GatewayPolicies policies,
            UsageRecorder usage,
            PiiMasking masking,
            Clock clock,
            LongSupplier nanoClock) {
        this.metrics = metrics;
        this.policies = policies;
        this.usage = usage;
        this.masking = masking;
        this.clock = clock;
        this.nanoClock = nanoClock;
    }

    /** A cache hit: the stored answer with cost 0, its reasoning masked for this call, logged and recorded. */
    GenerateResponse cached(PreparedCall call, GenerateResponse hit) {
        long latency = elapsed(call).toMillis();
        LogFields.of(
                        "tenant", call.command().tenant(),
                        "agentId", call.command().agentId(),
                        "provider", hit.provider(),
                        "model", hit.model(),
                        "cached", true,
                        "finish", hit.finishReason(),
                        "toolCalls",
                                hit.toolCalls() == null ? 0 : hit.toolCalls().size(),
                        "latencyMs", latency)
                .info(LOG, "generated");
        // a hit repeats the original token counts but cost nothing; the stored entry may come from an unmasked call
        GenerateResponse cached = new GenerateResponse(
                hit.text(),
                hit.toolCalls(),
                (hit.usage() == null ? Usage.NONE : hit.usage()).withCost(0.0),
                hit.model(),
                hit.provider(),
                hit.finishReason(),
                true,
                latency,
                masking.reasoning(call, hit.reasoning()));
        usage.record(call.command(), cached, false, null);
        return cached;
    }

    void failed(PreparedCall call, Route route, ProviderFailure failure) {
        Duration elapsed = elapsed(call);
        metrics.recordCall(route.provider(), route.model(), outcome(failure.kind()), elapsed, Usage.NONE);
        LogFields.of(
                        "tenant", call.command().tenant(),
                        "provider", route.provider(),
                        "model", route.model(),
                        "kind", failure.kind(),
                        "latencyMs", elapsed.toMillis(),
                        "detail", failure.getMessage())
                .warn(LOG, "generate failed");
    }

    void fallingBack(PreparedCall call, Route from, Route to, ProviderFailure failure) {
        metrics.recordFallback(
                call.alias() == null ? "" : call.alias(), from.provider(), to.provider(), outcome(failure.kind()));
        LogFields.of(
                        "tenant", call.command().tenant(),
                        "alias", call.alias(),
                        "from", from,
                        "to", to,
                        "kind", failure.kind())
                .warn(LOG, "falling back");
    }

    GenerateResponse succeeded(PreparedCall call, Route route, ProviderAnswer answer, boolean streamed) {
        Duration elapsed = elapsed(call);
        String provider = route.provider();
        String model = answer.model() != null ? answer.model() : route.model();
        GenerateCommand command = call.command();
        Usage tokens = answer.usage();
        metrics.recordCall(provider, model, "success", elapsed, tokens);
        Double cost = policies.prices()
                .cost(provider, model, tokens.inputTokens(), tokens.outputTokens())
                .or(() -> policies.prices().cost(provider, route.model(), tokens.inputTokens(), tokens.outputTokens()))
                .orElse(null);
        if (cost != null) {
            metrics.recordCost(provider, model, cost);
            String month = YearMonth.now(clock).toString();
            // a tenant with a budget needs the sum before its next call is checked; the others need not wait for Redis
            if (policies.budgetOf(command.tenant()) != null) {
                policies.spend().add(command.tenant(), month, cost);
            } else {
                policies.spend().addLater(command.tenant(), month, cost);
            }
        }
        LogFields.of(
                        "tenant", command.tenant(),
                        "agentId", command.agentId(),
                        "provider", provider,
                        "model", model,
                        "streamed", streamed,
                        "messages", command.messages().size(),
                        "tools", command.tools().size(),
                        "finish", answer.finishReason().wire(),
                        "toolCalls", answer.toolCalls().size(),
                        "tokensIn", tokens.inputTokens(),
                        "tokensOut", tokens.outputTokens(),
                        "costUsd", cost,
                        "latencyMs", elapsed.toMillis())
                .info(LOG, "generated");
        GenerateResponse response = new GenerateResponse(
                answer.text(),
                answer.toolCalls(),
                tokens.withCost(cost),
                model,
                provider,
                answer.finishReason().wire(),
                false,
                elapsed.toMillis(),
                masking.reasoning(call, answer.reasoning()));
        usage.record(command, response, streamed, cost);
        return response;
    }

    static String outcome(ProviderFailure.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private Duration elapsed(PreparedCall call) {
        return Duration.ofNanos(nanoClock.getAsLong() - call.start());
    }
}
