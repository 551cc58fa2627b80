package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.InjectionScore;

/**
 * Outgoing port: scores a text for prompt injection, 0 (ordinary) to 1 (certainly an injection). The built-in
 * adapter is pattern- and heuristic-based ({@code HeuristicInjectionDetector}); a model classifier (e.g. a
 * fine-tuned DeBERTa served over HTTP) fits behind the same port. {@code source} is {@code prompt},
 * {@code tool} or {@code retrieved}, so a detector may judge indirect content differently.
 */
public interface InjectionDetectorPort {

    /** The detector's name, logged with its verdicts. */
    String name();

    InjectionScore score(String text, String source);
}
