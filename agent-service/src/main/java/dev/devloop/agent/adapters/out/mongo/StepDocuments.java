package dev.devloop.agent.adapters.out.mongo;

import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.TokenUsage;
import dev.devloop.agent.domain.ToolCallRecord;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** Maps run steps and usage to and from BSON; documents never leave this package. */
final class StepDocuments {

    static Document toDocument(Step s) {
        Document d = new Document("index", s.index())
                .append("kind", s.kind().name())
                .append("startedAt", Date.from(s.startedAt()))
                .append("durationMs", s.durationMs());
        if (s.kind() == StepKind.MODEL_CALL) {
            d.append("text", s.text())
                    .append(
                            "toolCalls",
                            s.toolCalls().stream()
                                    .map(c -> new Document("id", c.id())
                                            .append("name", c.name())
                                            .append("arguments", c.argumentsJson()))
                                    .toList())
                    .append("usage", usage(s.usage()))
                    .append("finishReason", s.finishReason())
                    .append("provider", s.provider())
                    .append("model", s.model())
                    .append("reasoning", s.reasoning());
            if (s.injection() != null) {
                d.append(
                        "injection",
                        new Document("score", s.injection().score())
                                .append("flagged", s.injection().flagged())
                                .append("sources", s.injection().sources()));
            }
        } else if (s.kind() == StepKind.APPROVAL) {
            d.append("toolCallId", s.toolCallId())
                    .append("tool", s.tool())
                    .append("arguments", s.argumentsJson())
                    .append("status", s.status())
                    .append("proposalId", s.proposalId());
        } else if (s.kind() == StepKind.GUARDRAIL || s.kind() == StepKind.TRIPWIRE) {
            d.append("policy", s.policy())
                    .append("stage", s.stage())
                    .append("status", s.status())
                    .append("error", s.error());
        } else {
            d.append("toolCallId", s.toolCallId())
                    .append("tool", s.tool())
                    .append("arguments", s.argumentsJson())
                    .append("status", s.status())
                    .append("output", s.outputJson())
                    .append("error", s.error())
                    .append("replayed", s.replayed());
        }
        return d;
    }

    static Step toStep(Document d) {
        StepKind kind = StepKind.valueOf(d.getString("kind"));
        int index = d.getInteger("index");
        java.time.Instant started = d.getDate("startedAt").toInstant();
        long duration = d.get("durationMs", Number.class).longValue();
        if (kind == StepKind.MODEL_CALL) {
            List<ToolCallRecord> calls = d.getList("toolCalls", Document.class, List.of()).stream()
                    .map(c -> new ToolCallRecord(c.getString("id"), c.getString("name"), c.getString("arguments")))
                    .toList();
            return Step.modelCall(
                    index,
                    started,
                    duration,
                    d.getString("text"),
                    calls,
                    usage(d.get("usage", Document.class)),
                    d.getString("finishReason"),
                    d.getString("provider"),
                    d.getString("model"),
                    d.getString("reasoning"),
                    injection(d.get("injection", Document.class)));
        }
        if (kind == StepKind.APPROVAL) {
            return Step.approval(
                    index,
                    started,
                    new ToolCallRecord(d.getString("toolCallId"), d.getString("tool"), d.getString("arguments")),
                    d.getString("proposalId"));
        }
        if (kind == StepKind.GUARDRAIL || kind == StepKind.TRIPWIRE) {
            return Step.safety(
                    index,
                    kind,
                    started,
                    duration,
                    d.getString("status"),
                    d.getString("error"),
                    d.getString("policy"),
                    d.getString("stage"));
        }
        return Step.toolCall(
                index,
                started,
                duration,
                new ToolCallRecord(d.getString("toolCallId"), d.getString("tool"), d.getString("arguments")),
                d.getString("status"),
                d.getString("output"),
                d.getString("error"),
                d.getBoolean("replayed", false));
    }

    static Document usage(TokenUsage u) {
        TokenUsage usage = u == null ? TokenUsage.ZERO : u;
        return new Document("inputTokens", usage.inputTokens())
                .append("outputTokens", usage.outputTokens())
                .append("totalTokens", usage.totalTokens())
                .append("costUsd", usage.costUsd());
    }

    static TokenUsage usage(Document d) {
        if (d == null) {
            return TokenUsage.ZERO;
        }
        return new TokenUsage(
                d.get("inputTokens", Number.class).longValue(),
                d.get("outputTokens", Number.class).longValue(),
                d.get("totalTokens", Number.class).longValue(),
                d.get("costUsd") instanceof Number cost ? cost.doubleValue() : null);
    }

    private StepDocuments() {}

    private static dev.devloop.agent.domain.InjectionFlag injection(Document d) {
        if (d == null) {
            return null;
        }
        return new dev.devloop.agent.domain.InjectionFlag(
                d.get("score", Number.class).doubleValue(),
                d.getBoolean("flagged", false),
                d.getList("sources", String.class, List.of()));
    }
}
