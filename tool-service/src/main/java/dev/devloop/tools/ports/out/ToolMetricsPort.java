package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.ToolKind;

/** Outgoing port counting what operators watch on the invocation path (labels are bounded sets, never ids). */
public interface ToolMetricsPort {
  /** A call refused by the per-tenant quota: {@code window} is {@code minute} or {@code day}. */
  void quotaRefused(String window, ToolKind kind);

  /**
   * A git commit or push refused by the secret scan: {@code operation} is {@code commit} or {@code push},
   * {@code rule} one of the scanner's rule names (a closed set), counted once per rule that fired.
   */
  default void secretScanRefused(String operation, String rule) {}

  /** Counts nothing (plain unit tests). */
  ToolMetricsPort NONE = (window, kind) -> { };
}
