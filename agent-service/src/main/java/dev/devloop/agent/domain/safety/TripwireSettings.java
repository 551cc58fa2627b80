package dev.devloop.agent.domain.safety;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How tripwires act: one action per kind, the output patterns deemed dangerous, and the z-score
 * threshold (over at least {@code anomalyMinSamples} earlier calls of the same agent type) above
 * which a model call's token count is an anomaly.
 */
public record TripwireSettings(
        Map<TripwireKind, TripAction> actions,
        List<String> dangerousPatterns,
        double anomalyZScore,
        int anomalyMinSamples) {

    public TripwireSettings {
        actions = Map.copyOf(actions);
        dangerousPatterns = List.copyOf(dangerousPatterns);
        dangerousPatterns.forEach(Pattern::compile);
        if (anomalyZScore <= 0 || anomalyMinSamples < 2) {
            throw new IllegalArgumentException("anomaly z-score must be positive and min samples at least 2");
        }
    }

    public TripAction action(TripwireKind kind) {
        return actions.getOrDefault(kind, TripAction.STOP);
    }
}
