package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The guarded OpenAI call: a backstop timeout and a circuit breaker named {@value #CIRCUIT}, around a call that
 * answers later ({@link OpenAiHttpCall}); SmallRye treats a {@link CompletionStage} method as non-blocking (no thread
 * waits for it; the timeout fails the stage). Override with
 * {@code quarkus.fault-tolerance."<this class>/chat".<policy>.<key>}. Retries (jittered, Retry-After aware) and the
 * bulkhead are applied around it by the application layer.
 */
@ApplicationScoped
public class OpenAiCalls {
    static final String CIRCUIT = OpenAiChatProvider.NAME;
    /** How long the circuit stays open before a trial call; also the Retry-After sent while it is open. */
    static final long CIRCUIT_DELAY_SECONDS = 30;

    @Timeout(value = 150, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(
            requestVolumeThreshold = 20,
            failureRatio = 0.5,
            delay = CIRCUIT_DELAY_SECONDS,
            delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2)
    @CircuitBreakerName(CIRCUIT)
    public CompletionStage<GuardedChat.Outcome> chat(
            Supplier<CompletionStage<ChatResponse>> call, Duration httpTimeout) {
        return GuardedChat.runAsync(OpenAiChatProvider.NAME, OpenAiChatProvider.KEY_SETTING, call, httpTimeout);
    }
}
