package dev.devloop.agent.domain;

import java.util.List;

/**
 * How provider-gateway screened a model call for prompt injection: the highest {@code score} (0..1), whether it
 * reached the tenant's threshold ({@code flagged}), and the sources that scored ({@code prompt}, {@code tool},
 * {@code retrieved}), highest first.
 */
public record InjectionFlag(double score, boolean flagged, List<String> sources) {
    public InjectionFlag {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
