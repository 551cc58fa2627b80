package dev.devloop.provider.adapters.out.langchain.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.provider.config.ProviderConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code thinkingConfig} sent to Gemini and Vertex follows the settings and is absent while they are off. */
class GeminiThinkingConfigTest {

    private static ProviderConfig.GoogleThinking settings(boolean include, Optional<Integer> budget) {
        return new ProviderConfig.GoogleThinking() {
            @Override
            public boolean includeThoughts() {
                return include;
            }

            @Override
            public Optional<Integer> budgetTokens() {
                return budget;
            }
        };
    }

    @Test
    void offSendsNothing() {
        assertThat(GeminiFormatChatProvider.thinkingConfig(settings(false, Optional.empty())))
                .isEmpty();
    }

    @Test
    void thoughtsWithAndWithoutBudget() {
        var both = GeminiFormatChatProvider.thinkingConfig(settings(true, Optional.of(2048)))
                .orElseThrow();
        assertThat(both.includeThoughts()).isTrue();
        assertThat(both.thinkingBudget()).isEqualTo(2048);
        var thoughts = GeminiFormatChatProvider.thinkingConfig(settings(true, Optional.empty()))
                .orElseThrow();
        assertThat(thoughts.includeThoughts()).isTrue();
        assertThat(thoughts.thinkingBudget()).isNull();
    }

    @Test
    void aBudgetAloneLimitsThinkingWithoutAskingForThoughts() {
        var budget = GeminiFormatChatProvider.thinkingConfig(settings(false, Optional.of(0)))
                .orElseThrow();
        assertThat(budget.includeThoughts()).isNull();
        assertThat(budget.thinkingBudget()).isZero();
    }
}
