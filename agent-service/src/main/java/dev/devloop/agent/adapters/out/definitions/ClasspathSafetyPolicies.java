package dev.devloop.agent.adapters.out.definitions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.agent.domain.safety.Enforcement;
import dev.devloop.agent.domain.safety.GuardrailPolicy;
import dev.devloop.agent.domain.safety.GuardrailStage;
import dev.devloop.agent.domain.safety.PolicyKind;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads guardrail policies and dangerous-output patterns from a JSON resource. */
public final class ClasspathSafetyPolicies {

    /** What the resource holds, mapped to domain types. */
    public record Loaded(List<GuardrailPolicy> guardrails, List<String> dangerousOutputPatterns) {}

    public static Loaded load(ObjectMapper json, String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("safety resource not found: " + resource);
            }
            SafetyJson file = json.readValue(in, SafetyJson.class);
            List<GuardrailPolicy> policies = file.guardrails() == null
                    ? List.of()
                    : file.guardrails().stream()
                            .map(g -> new GuardrailPolicy(
                                    g.name(),
                                    GuardrailStage.valueOf(g.stage()),
                                    PolicyKind.valueOf(g.kind()),
                                    Enforcement.valueOf(g.mode()),
                                    g.patterns(),
                                    g.maxLength() == null ? 0 : g.maxLength(),
                                    g.agentTypes(),
                                    g.pii(),
                                    Boolean.TRUE.equals(g.failOpen())))
                            .toList();
            return new Loaded(
                    policies, file.dangerousOutputPatterns() == null ? List.of() : file.dangerousOutputPatterns());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @RegisterForReflection
    record SafetyJson(List<GuardrailJson> guardrails, List<String> dangerousOutputPatterns) {}

    @RegisterForReflection
    record GuardrailJson(
            String name,
            String stage,
            String kind,
            String mode,
            List<String> patterns,
            Integer maxLength,
            List<String> agentTypes,
            List<String> pii,
            Boolean failOpen) {}

    private ClasspathSafetyPolicies() {}
}
