package dev.devloop.provider.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Reasoning asked for from every provider that needs asking: Anthropic extended thinking, Gemini and Vertex thoughts. */
public class ThinkingProfile implements QuarkusTestProfile {
    public static final int ANTHROPIC_BUDGET = 2048;
    public static final int GEMINI_BUDGET = 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "devloop.provider.anthropic.thinking.budget-tokens",
                String.valueOf(ANTHROPIC_BUDGET),
                "devloop.provider.gemini.thinking.include-thoughts",
                "true",
                "devloop.provider.gemini.thinking.budget-tokens",
                String.valueOf(GEMINI_BUDGET),
                "devloop.provider.vertex.thinking.include-thoughts",
                "true");
    }
}
