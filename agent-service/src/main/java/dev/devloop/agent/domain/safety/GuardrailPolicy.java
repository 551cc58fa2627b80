package dev.devloop.agent.domain.safety;

import java.util.List;
import java.util.regex.Pattern;

/** One configured guardrail: a named check at one stage, with its enforcement mode. */
public record GuardrailPolicy(
        String name,
        GuardrailStage stage,
        PolicyKind kind,
        Enforcement mode,
        List<String> patterns,
        int maxLength,
        List<String> agentTypes,
        List<String> piiKinds,
        boolean failOpen) {

    public GuardrailPolicy(
            String name,
            GuardrailStage stage,
            PolicyKind kind,
            Enforcement mode,
            List<String> patterns,
            int maxLength,
            List<String> agentTypes) {
        this(name, stage, kind, mode, patterns, maxLength, agentTypes, List.of(), false);
    }

    public GuardrailPolicy {
        if (name == null || name.isBlank() || stage == null || kind == null || mode == null) {
            throw new IllegalArgumentException("a guardrail needs a name, a stage, a kind and a mode");
        }
        patterns = patterns == null ? List.of() : List.copyOf(patterns);
        agentTypes = agentTypes == null ? List.of() : List.copyOf(agentTypes);
        piiKinds = piiKinds == null ? List.of() : List.copyOf(piiKinds);
        if (kind == PolicyKind.REMOTE_VALIDATION && (maxLength < 0 || patterns.size() > 100 || piiKinds.size() > 10)) {
            throw new IllegalArgumentException(name + ": remote validation takes at most 100 terms and 10 PII kinds");
        }
        if (kind == PolicyKind.MAX_LENGTH && maxLength < 1) {
            throw new IllegalArgumentException(name + ": maxLength must be positive");
        }
        if ((kind == PolicyKind.DENY_PATTERN || kind == PolicyKind.ALLOWED_TOPICS) && patterns.isEmpty()) {
            throw new IllegalArgumentException(name + ": patterns are required for " + kind);
        }
        if (kind != PolicyKind.REMOTE_VALIDATION) {
            patterns.forEach(Pattern::compile); // remote validation's patterns are plain blocked terms
        }
    }

    /** The same policy enforced under {@code other} (a definition's or the service's guardrail mode). */
    public GuardrailPolicy withMode(Enforcement other) {
        return new GuardrailPolicy(name, stage, kind, other, patterns, maxLength, agentTypes, piiKinds, failOpen);
    }

    /** Applies to every agent type when none are listed. */
    public boolean appliesTo(String agentType) {
        return agentTypes.isEmpty() || agentTypes.contains(agentType);
    }
}
