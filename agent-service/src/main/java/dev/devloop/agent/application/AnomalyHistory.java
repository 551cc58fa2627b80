package dev.devloop.agent.application;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
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

  public List<Double> snapshot(String key) {
    Deque<Double> values = byKey.get(key);
    if (values == null) {
      return List.of();
    }
    synchronized (values) {
      return List.copyOf(values);
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
