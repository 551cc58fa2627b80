package dev.devloop.provider.adapters.out.langchain.vertex;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** The guarded Vertex AI call: backstop timeout and its own circuit breaker {@value #CIRCUIT}. */
@ApplicationScoped
public class VertexCalls implements GuardedChat {
    static final String CIRCUIT = VertexChatProvider.NAME;
    static final long CIRCUIT_DELAY_SECONDS = 30;

    @Override
    @Timeout(value = 150, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(
            requestVolumeThreshold = 20,
            failureRatio = 0.5,
            delay = CIRCUIT_DELAY_SECONDS,
            delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2)
    @CircuitBreakerName(CIRCUIT)
    public Outcome chat(ChatModel model, ChatRequest request, Duration httpTimeout) {
        return GuardedChat.run(VertexChatProvider.NAME, VertexChatProvider.KEY_SETTING, model, request, httpTimeout);
    }
}
