package dev.devloop.agent.domain.safety;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Decides whether a run's budgets or alarms have tripped; pure functions over the run's numbers. */
public final class Tripwires {
    private final TripwireSettings settings;
    private final List<Pattern> dangerous;

    public Tripwires(TripwireSettings settings) {
        this.settings = settings;
        this.dangerous = settings.dangerousPatterns().stream()
                .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE))
                .toList();
    }

    public Optional<Trip> executionTime(Duration elapsed, long maxSeconds) {
        return elapsed.toSeconds() >= maxSeconds
                ? trip(TripwireKind.EXECUTION_TIME, "ran " + elapsed.toSeconds() + " s, budget " + maxSeconds + " s")
                : Optional.empty();
    }

    public Optional<Trip> tokens(long used, long maxTokens) {
        return used > maxTokens
                ? trip(TripwireKind.TOKENS, "used " + used + " tokens, budget " + maxTokens)
                : Optional.empty();
    }

    /** Trips once the run's estimated spend passes its budget (a budget of 0 or less means none). */
    public Optional<Trip> cost(double usedUsd, double maxUsd) {
        return maxUsd > 0 && usedUsd > maxUsd
                ? trip(
                        TripwireKind.COST,
                        String.format(java.util.Locale.ROOT, "spent $%.6f, budget $%.6f", usedUsd, maxUsd))
                : Optional.empty();
    }

    /**
     * Trips when a run has spawned more agents than its type may keep alive at once: the hierarchy
     * already refuses more live children, so this catches a run churning through spawn and retire.
     */
    public Optional<Trip> childCount(int spawnedByRun, int maxChildren) {
        return spawnedByRun > maxChildren
                ? trip(TripwireKind.CHILD_COUNT, "spawned " + spawnedByRun + " agents, limit " + maxChildren)
                : Optional.empty();
    }

    public Optional<Trip> turns(int maxTurns) {
        return trip(TripwireKind.TURNS, "turn limit reached: " + maxTurns + " turns without a final answer");
    }

    public Optional<Trip> dangerousOutput(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return dangerous.stream()
                .filter(p -> p.matcher(text).find())
                .findFirst()
                .flatMap(p ->
                        trip(TripwireKind.DANGEROUS_OUTPUT, "output matches dangerous pattern /" + p.pattern() + "/"));
    }

    /** Flags a value whose z-score against the earlier values exceeds the configured threshold. */
    public Optional<Trip> anomaly(String metric, List<Double> history, double value) {
        double mean =
                history.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance =
                history.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, history.size());
        return anomaly(metric, new Baseline(history.size(), mean, Math.sqrt(variance)), value);
    }

    /** The same check against a baseline already summarised (count, mean, standard deviation). */
    public Optional<Trip> anomaly(String metric, Baseline baseline, double value) {
        if (baseline.count() < settings.anomalyMinSamples() || baseline.std() == 0) {
            return Optional.empty();
        }
        double z = (value - baseline.mean()) / baseline.std();
        return z > settings.anomalyZScore()
                ? trip(
                        TripwireKind.ANOMALY,
                        String.format(
                                java.util.Locale.ROOT,
                                "%s of %.0f is %.1f standard deviations above the mean of %.1f",
                                metric,
                                value,
                                z,
                                baseline.mean()))
                : Optional.empty();
    }

    /** The earlier values of a metric, summarised: how many, their mean and population standard deviation. */
    public record Baseline(int count, double mean, double std) {}

    private Optional<Trip> trip(TripwireKind kind, String reason) {
        return Optional.of(new Trip(kind, settings.action(kind), reason));
    }
}
