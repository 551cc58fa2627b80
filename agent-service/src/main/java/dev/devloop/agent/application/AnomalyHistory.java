package dev.devloop.agent.application;

import dev.devloop.agent.domain.safety.Tripwires;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded window of recent per-call token counts for each agent type, the baseline the anomaly
 * tripwire compares against. Kept per replica: a heuristic needs a recent sample, not a global one.
 */
public final class AnomalyHistory {
    private final int window;
    private final Map<String, Deque<Double>> byKey = new ConcurrentHashMap<>();

    public AnomalyHistory(int window) {
        this.window = window;
    }

    /**
     * Count, mean and (population) standard deviation of the window of {@code key}, computed in place — no copy
     * of the window — since the loop asks for them on every model call.
     */
    public Tripwires.Baseline baseline(String key) {
        Deque<Double> values = byKey.get(key);
        if (values == null) {
            return new Tripwires.Baseline(0, 0, 0);
        }
        synchronized (values) {
            int n = values.size();
            if (n == 0) {
                return new Tripwires.Baseline(0, 0, 0);
            }
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            double mean = sum / n;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new Tripwires.Baseline(n, mean, Math.sqrt(squares / n));
        }
    }

    public void add(String key, double value) {
        Deque<Double> values = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (values) {
            values.addLast(value);
            while (values.size() > window) {
                values.removeFirst();
            }
        }
    }
}
