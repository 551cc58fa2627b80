package dev.devloop.provider.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.domain.PiiRedactor;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Masks PII ({@link PiiRedactor}) in what goes to a provider and in the reasoning that comes back, and counts it. */
final class PiiMasking {
    private static final Logger LOG = Logger.getLogger(PiiMasking.class);

    private final ProviderMetricsPort metrics;

    PiiMasking(ProviderMetricsPort metrics) {
        this.metrics = metrics;
    }

    /** The messages with their text and their tool calls' string arguments masked (the JSON shape is kept). */
    List<ChatMessage> messages(List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        Map<String, Integer> total = new LinkedHashMap<>();
        for (ChatMessage m : messages) {
            String content = m.content();
            if (content != null) {
                PiiRedactor.Redaction r = PiiRedactor.redact(content);
                r.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
                content = r.text();
            }
            List<ToolCall> calls = m.toolCalls();
            if (calls != null && !calls.isEmpty()) {
                List<ToolCall> masked = new ArrayList<>(calls.size());
                for (ToolCall c : calls) {
                    masked.add(new ToolCall(c.id(), c.name(), json(c.arguments(), total)));
                }
                calls = masked;
            }
            out.add(new ChatMessage(m.role(), content, calls, m.toolCallId(), m.name()));
        }
        total.forEach(metrics::recordRedactions);
        if (!total.isEmpty()) {
            LogFields.of("redactions", total).info(LOG, "pii redacted");
        }
        return out;
    }

    /** The retrieved documents and the question of a context prompt, masked. */
    ContextPrompt context(ContextPrompt p) {
        List<ContextPrompt.Document> docs = new ArrayList<>();
        for (ContextPrompt.Document d : p.documents()) {
            PiiRedactor.Redaction r = PiiRedactor.redact(d.content());
            r.counts().forEach(metrics::recordRedactions);
            docs.add(new ContextPrompt.Document(d.source(), r.text()));
        }
        PiiRedactor.Redaction q = PiiRedactor.redact(p.question());
        q.counts().forEach(metrics::recordRedactions);
        return new ContextPrompt(p.instructions(), docs, q.text());
    }

    /** The reasoning as the caller gets it: masked by the same rule as the request (header or tenant). */
    String reasoning(PreparedCall call, String reasoning) {
        if (reasoning == null || !call.redact()) {
            return reasoning;
        }
        PiiRedactor.Redaction r = PiiRedactor.redact(reasoning);
        r.counts().forEach(metrics::recordRedactions);
        if (r.total() > 0) {
            LogFields.of("redactions", r.counts()).info(LOG, "pii redacted in reasoning");
        }
        return r.text();
    }

    private static JsonNode json(JsonNode node, Map<String, Integer> total) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            PiiRedactor.Redaction r = PiiRedactor.redact(node.asText());
            if (r.total() == 0) {
                return node;
            }
            r.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
            return TextNode.valueOf(r.text());
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            node.fieldNames().forEachRemaining(f -> copy.set(f, json(node.get(f), total)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(json(e, total)));
            return copy;
        }
        return node;
    }
}
