package dev.devloop.contracts.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * How provider-gateway screened a request for prompt injection: the tenant's {@code mode} ({@code block},
 * {@code flag}), the highest {@code score} (0..1) over every screened source, whether it reached the
 * threshold ({@code flagged}), the score per source ({@code prompt}: system and user messages; {@code tool}:
 * tool results; {@code retrieved}: retrieved documents) and the detector's signals (rule names, with
 * {@code @form} when found only after decoding, e.g. {@code override-instructions@base64}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InjectionScreening(
        String mode, double score, boolean flagged, Map<String, Double> sources, List<String> signals) {}
