package dev.devloop.agent.adapters.in.scheduler;

import dev.devloop.agent.ports.in.RunAgentUseCase;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Periodically (and right after start) resumes runs whose runner died mid-way. */
@ApplicationScoped
class RunRecoveryJob {
  private final RunAgentUseCase useCase;

  RunRecoveryJob(RunAgentUseCase useCase) {
    this.useCase = useCase;
  }

  @Scheduled(every = "${devloop.agent.recovery-interval}", delay = 2, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void resume() {
    try {
      int resumed = useCase.resumeAbandoned();
      if (resumed > 0) {
        Log.infof("resumed %d abandoned run(s)", resumed);
      }
    } catch (RuntimeException e) {
      Log.warnf("run recovery pass failed: %s", e.getMessage());
    }
  }
}
