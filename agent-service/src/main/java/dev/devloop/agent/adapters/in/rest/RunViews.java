package dev.devloop.agent.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentTree;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** JSON views of runs, steps, agents and agent types; mapping happens here, at the edge. */
final class RunViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RunView(
            String id,
            String tenant,
            String agentId,
            String agentType,
            String input,
            String status,
            List<StepView> steps,
            TokenUsage usage,
            String result,
            String error,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt,
            String traceId,
            String cancelReason,
            Integer definitionVersion,
            Long approvalWaitMs,
            Long pausedMs,
            Long outageWaitMs,
            String waitingFor) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StepView(
            int index,
            String kind,
            Instant startedAt,
            long durationMs,
            String text,
            List<ToolCallView> toolCalls,
            TokenUsage usage,
            String finishReason,
            String provider,
            String model,
            String toolCallId,
            String tool,
            JsonNode arguments,
            String status,
            JsonNode output,
            String error,
            Boolean replayed,
            String policy,
            String stage,
            String reasoning,
            String proposalId,
            InjectionView injection) {}

    /** provider-gateway's prompt-injection screening of a model call. */
    @RegisterForReflection
    record InjectionView(double score, boolean flagged, List<String> sources) {}

    @RegisterForReflection
    record ToolCallView(String id, String name, JsonNode arguments) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AgentView(
            String id,
            String tenant,
            String type,
            String level,
            String parentId,
            String status,
            Instant createdAt,
            Instant retiredAt,
            String availability,
            Integer inFlightRuns,
            Instant heartbeatAt) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AgentTreeView(
            String id,
            String tenant,
            String type,
            String level,
            String parentId,
            String status,
            Instant createdAt,
            Instant retiredAt,
            String availability,
            Integer inFlightRuns,
            Instant heartbeatAt,
            List<AgentTreeView> children) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AgentTypeView(
            String type,
            String level,
            String description,
            List<String> allowedChildTypes,
            int maxTurns,
            long maxTokens,
            long maxSeconds,
            int maxChildren,
            double maxCostUsd,
            String instructions,
            String provider,
            String model,
            String promptTemplate,
            List<String> handoffTargets,
            String scope,
            Integer maxConcurrentRuns,
            Approval approval,
            String guardrailMode,
            int version,
            String changedBy,
            Instant changedAt) {}

    @RegisterForReflection
    record Approval(boolean graphWrites) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HandoffView(
            String handoffId,
            String tenant,
            String fromAgentId,
            String targetAgentId,
            String toAgentType,
            String task,
            String context,
            String runId,
            String status,
            String result,
            String error,
            Instant createdAt,
            Instant completedAt) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProposalView(
            String id,
            String tenant,
            String runId,
            String agentId,
            String agentType,
            String toolCallId,
            String tool,
            JsonNode arguments,
            String reasoning,
            String status,
            Instant createdAt,
            Instant decidedAt,
            String decidedBy,
            String note,
            String reason) {}

    static ProposalView of(dev.devloop.agent.domain.Proposal p) {
        return new ProposalView(
                p.id(),
                p.tenant(),
                p.runId(),
                p.agentId(),
                p.agentType(),
                p.toolCallId(),
                p.tool(),
                parse(p.argumentsJson()),
                p.reasoning(),
                p.status().name().toLowerCase(),
                p.createdAt(),
                p.decidedAt(),
                p.decidedBy(),
                p.note(),
                p.reason());
    }

    static HandoffView of(dev.devloop.agent.domain.Handoff h) {
        return new HandoffView(
                h.id(),
                h.tenant(),
                h.fromAgentId(),
                h.toAgentId(),
                h.toAgentType(),
                h.task(),
                h.context(),
                h.runId(),
                h.status() == null ? null : h.status().name(),
                h.result(),
                h.error(),
                h.createdAt(),
                h.completedAt());
    }

    static RunView of(Run r) {
        return new RunView(
                r.id(),
                r.tenant(),
                r.agentId(),
                r.agentType(),
                r.input(),
                r.status().name(),
                r.steps().stream().map(RunViews::of).toList(),
                r.usage(),
                r.result(),
                r.error(),
                r.createdAt(),
                r.updatedAt(),
                r.completedAt(),
                r.traceId(),
                r.cancelReason(),
                r.definitionVersion(),
                r.approvalWaitMs() > 0 ? r.approvalWaitMs() : null,
                r.pausedMs() > 0 ? r.pausedMs() : null,
                r.outageWaitMs() > 0 ? r.outageWaitMs() : null,
                r.waitingFor());
    }

    static StepView of(Step s) {
        boolean model = s.kind() == dev.devloop.agent.domain.StepKind.MODEL_CALL;
        boolean tool = s.kind() == dev.devloop.agent.domain.StepKind.TOOL_CALL;
        return new StepView(
                s.index(),
                s.kind().name().toLowerCase(),
                s.startedAt(),
                s.durationMs(),
                s.text(),
                model
                        ? s.toolCalls().stream()
                                .map(c -> new ToolCallView(c.id(), c.name(), parse(c.argumentsJson())))
                                .toList()
                        : null,
                s.usage(),
                s.finishReason(),
                s.provider(),
                s.model(),
                s.toolCallId(),
                s.tool(),
                parse(s.argumentsJson()),
                s.status(),
                parse(s.outputJson()),
                s.error(),
                tool ? s.replayed() : null,
                s.policy(),
                s.stage() == null ? null : s.stage().toLowerCase(),
                s.reasoning(),
                s.proposalId(),
                s.injection() == null
                        ? null
                        : new InjectionView(
                                s.injection().score(),
                                s.injection().flagged(),
                                s.injection().sources()));
    }

    static AgentView of(Agent a) {
        return of(a, null);
    }

    /** An agent with its liveness ({@code null} for retired or failed agents: they take no work). */
    static AgentView of(Agent a, dev.devloop.agent.domain.AgentLiveness live) {
        return new AgentView(
                a.id(),
                a.tenant(),
                a.type(),
                a.level().name().toLowerCase(),
                a.parentId(),
                a.status().name(),
                a.createdAt(),
                a.retiredAt(),
                availability(live),
                live == null ? null : live.inFlightRuns(),
                live == null ? null : live.heartbeatAt());
    }

    static AgentTreeView of(AgentTree t) {
        return of(t, java.util.Map.of());
    }

    static AgentTreeView of(AgentTree t, java.util.Map<String, dev.devloop.agent.domain.AgentLiveness> liveness) {
        Agent a = t.agent();
        dev.devloop.agent.domain.AgentLiveness live = liveness.get(a.id());
        return new AgentTreeView(
                a.id(),
                a.tenant(),
                a.type(),
                a.level().name().toLowerCase(),
                a.parentId(),
                a.status().name(),
                a.createdAt(),
                a.retiredAt(),
                availability(live),
                live == null ? null : live.inFlightRuns(),
                live == null ? null : live.heartbeatAt(),
                t.children().stream().map(c -> of(c, liveness)).toList());
    }

    private static String availability(dev.devloop.agent.domain.AgentLiveness live) {
        return live == null ? null : live.availability().name().toLowerCase();
    }

    /** {@code scope} is {@code shipped} (every tenant's) or {@code tenant} (registered by the caller). */
    static AgentTypeView of(AgentDefinition d, boolean shipped) {
        return new AgentTypeView(
                d.type(),
                d.level().name().toLowerCase(),
                d.description(),
                d.allowedChildTypes(),
                d.limits().maxTurns(),
                d.limits().maxTokens(),
                d.limits().maxSeconds(),
                d.limits().maxChildren(),
                d.limits().maxCostUsd(),
                d.instructions(),
                d.provider(),
                d.model(),
                d.promptTemplate(),
                d.handoffTargets(),
                shipped ? "shipped" : "tenant",
                d.limits().maxConcurrentRuns() > 0 ? d.limits().maxConcurrentRuns() : null,
                new Approval(d.approveGraphWrites()),
                d.guardrailMode() == null ? null : d.guardrailMode().name().toLowerCase(),
                d.version(),
                d.changedBy(),
                d.changedAt());
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private RunViews() {}
}
