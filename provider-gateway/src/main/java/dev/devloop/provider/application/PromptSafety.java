package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.InjectionScreening;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.domain.InjectionMode;
import dev.devloop.provider.domain.InjectionScore;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.ports.out.InjectionDetectorPort;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The safety checks at the model boundary: each tenant's settings (PII redaction, injection mode) and the
 * prompt-injection screening of what a request would send upstream. Every non-assistant message is scored
 * by the {@link InjectionDetectorPort}, by source: {@code prompt} (system and user messages), {@code tool}
 * (tool results: indirect injection) and {@code retrieved} (documents of {@code /v1/generate/context}, and
 * user/system messages named {@code retrieved…}, {@code document…} or {@code context}). A source's score is
 * its highest message's; the request's is the highest source's. At or above {@code threshold}: mode
 * {@code block} refuses the request (400 {@code prompt-injection-detected} naming the message, never echoing
 * it), mode {@code flag} serves it and reports the screening; {@code off} screens nothing.
 */
public final class PromptSafety {
    private static final Logger LOG = Logger.getLogger(PromptSafety.class);

    public static final String PROMPT = "prompt";
    public static final String TOOL = "tool";
    public static final String RETRIEVED = "retrieved";
    private static final int MAX_SIGNALS = 10;

    private final Function<String, SafetySettings> settings;
    private final InjectionDetectorPort detector;
    private final double threshold;
    private final ProviderMetricsPort metrics;

    /** No redaction and no screening for anyone: what the service did before safety settings existed. */
    public static PromptSafety none(ProviderMetricsPort metrics) {
        return new PromptSafety(t -> SafetySettings.defaults(false, InjectionMode.OFF), null, 1.0, metrics);
    }

    public PromptSafety(
            Function<String, SafetySettings> settings,
            InjectionDetectorPort detector,
            double threshold,
            ProviderMetricsPort metrics) {
        if (threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("the injection threshold is within (0, 1], got " + threshold);
        }
        this.settings = settings;
        this.detector = detector;
        this.threshold = threshold;
        this.metrics = metrics;
    }

    public SafetySettings settingsOf(String tenant) {
        return settings.apply(tenant);
    }

    public double threshold() {
        return threshold;
    }

    /** One piece of text a request would send, where it came from and the request field it is in. */
    private record Piece(String source, String field, String text) {}

    /**
     * Screens the messages (or, for a RAG call, the context prompt) under the tenant's mode; null when the
     * mode is {@code off}. Throws the 400 in mode {@code block} when the score reaches the threshold.
     */
    public InjectionScreening screen(
            String tenant, SafetySettings s, List<ChatMessage> messages, ContextPrompt context) {
        InjectionMode mode = s.injectionMode();
        if (mode == InjectionMode.OFF || detector == null) {
            return null;
        }
        List<Piece> pieces = new ArrayList<>();
        if (context != null) {
            if (context.instructions() != null) {
                pieces.add(new Piece(PROMPT, "instructions", context.instructions()));
            }
            pieces.add(new Piece(PROMPT, "question", context.question()));
            for (int i = 0; i < context.documents().size(); i++) {
                pieces.add(new Piece(
                        RETRIEVED,
                        "documents[" + i + "].content",
                        context.documents().get(i).content()));
            }
        } else {
            for (int i = 0; i < messages.size(); i++) {
                ChatMessage m = messages.get(i);
                String source = sourceOf(m);
                if (source != null && m.content() != null && !m.content().isBlank()) {
                    pieces.add(new Piece(source, "messages[" + i + "].content", m.content()));
                }
            }
        }
        Map<String, Double> sources = new LinkedHashMap<>();
        Set<String> signals = new LinkedHashSet<>();
        Piece worst = null;
        double top = 0;
        for (Piece p : pieces) {
            InjectionScore score = detector.score(p.text(), p.source());
            sources.merge(p.source(), score.score(), Math::max);
            if (score.score() >= threshold) {
                score.signals().forEach(signals::add);
            }
            if (worst == null || score.score() > top) {
                worst = p;
                top = score.score();
            }
        }
        sources.forEach(metrics::recordInjectionScore);
        boolean flagged = top >= threshold;
        List<String> signalList = signals.stream().limit(MAX_SIGNALS).toList();
        InjectionScreening screening =
                new InjectionScreening(mode.wire(), top, flagged, Map.copyOf(sources), signalList);
        if (!flagged) {
            return screening;
        }
        sources.forEach((source, score) -> {
            if (score >= threshold) {
                metrics.recordInjectionFlagged(mode.wire(), source);
            }
        });
        if (mode == InjectionMode.BLOCK) {
            sources.forEach((source, score) -> {
                if (score >= threshold) {
                    metrics.recordInjectionBlocked(source);
                }
            });
            injectionFields(tenant, worst, top, signalList).warn(LOG, "prompt injection blocked");
            String detail = String.format(
                    Locale.ROOT,
                    "%s (%s) scored %.2f for prompt injection (threshold %.2f; signals: %s); this tenant's injection mode is "
                            + "block, so nothing was sent to the model",
                    worst.field(),
                    worst.source(),
                    top,
                    threshold,
                    String.join(", ", signalList));
            throw new Refusal(
                    Refusal.Reason.INVALID,
                    "prompt-injection-detected",
                    "Prompt injection detected",
                    detail,
                    worst.field());
        }
        injectionFields(tenant, worst, top, signalList).info(LOG, "prompt injection flagged");
        return screening;
    }

    private LogFields injectionFields(String tenant, Piece worst, double score, List<String> signals) {
        return LogFields.of(
                "tenant", tenant,
                "detector", detector.name(),
                "field", worst.field(),
                "source", worst.source(),
                "score", String.format(Locale.ROOT, "%.2f", score),
                "signals", String.join(",", signals));
    }

    /** The source a message counts as, or null for messages not screened (the model's own turns). */
    static String sourceOf(ChatMessage m) {
        String role = m.role() == null ? "" : m.role();
        if ("tool".equals(role)) {
            return TOOL;
        }
        if (!"user".equals(role) && !"system".equals(role)) {
            return null;
        }
        String name = m.name() == null ? "" : m.name().toLowerCase(Locale.ROOT);
        if (name.startsWith("retrieved") || name.startsWith("document") || name.equals("context")) {
            return RETRIEVED;
        }
        return PROMPT;
    }
}
