package dev.devloop.provider.adapters.out.openai;

import dev.devloop.provider.domain.ProviderFailure;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The guarded OpenAI call: timeout, jittered retry of retryable failures only (5xx, connection,
 * timeout, 429 without Retry-After), and a circuit breaker named {@value #CIRCUIT}. Every value
 * can be overridden with {@code quarkus.fault-tolerance."<this class>/chat".<policy>.<key>}.
 */
@ApplicationScoped
public class OpenAiCalls {
  static final String CIRCUIT = "openai";
  /** How long the circuit stays open before a trial call; also the Retry-After sent while it is open. */
  static final long CIRCUIT_DELAY_SECONDS = 30;

  /** A finished call: the answer, or a failure caused by the request itself (not counted against the provider). */
  record Outcome(ChatResponse response, ProviderFailure rejected) {}

  /** Retry only what may succeed on a second try; a 429 with Retry-After goes back to the caller at once. */
  public static final class Retryable implements Predicate<Throwable> {
    @Override
    public boolean test(Throwable t) {
      return t instanceof ProviderFailure f && f.kind().retryable() && f.retryAfter().isEmpty();
    }
  }

  @Timeout(value = 150, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 300, jitter = 200, maxDuration = 400, durationUnit = ChronoUnit.SECONDS)
  @RetryWhen(exception = Retryable.class)
  @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = CIRCUIT_DELAY_SECONDS, delayUnit = ChronoUnit.SECONDS,
      successThreshold = 2)
  @CircuitBreakerName(CIRCUIT)
  Outcome chat(ChatModel model, ChatRequest request, Duration httpTimeout) {
    try {
      return new Outcome(model.chat(request), null);
    } catch (RuntimeException e) {
      ProviderFailure failure = UpstreamErrors.classify(OpenAiChatProvider.NAME, e, httpTimeout);
      if (failure.kind() == ProviderFailure.Kind.REQUEST_REJECTED) {
        return new Outcome(null, failure);
      }
      throw failure;
    }
  }
}
