package dev.devloop.provider.adapters.out.injection;

import dev.devloop.provider.domain.InjectionHeuristics;
import dev.devloop.provider.domain.InjectionScore;
import dev.devloop.provider.ports.out.InjectionDetectorPort;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The built-in prompt-injection detector: {@link InjectionHeuristics} (weighted patterns over the text and its
 * de-obfuscated forms). The same rules apply to every source; a model classifier would be another adapter of
 * {@link InjectionDetectorPort}.
 */
@ApplicationScoped
public class HeuristicInjectionDetector implements InjectionDetectorPort {

    @Override
    public String name() {
        return "heuristic";
    }

    @Override
    public InjectionScore score(String text, String source) {
        return InjectionHeuristics.score(text);
    }
}
