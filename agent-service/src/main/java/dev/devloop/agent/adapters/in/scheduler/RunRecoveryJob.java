package dev.devloop.agent.adapters.in.scheduler;

import dev.devloop.agent.ports.in.RunAgentUseCase;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Periodically (and right after start) resumes runs whose runner died mid-way. */
@ApplicationScoped
class RunRecoveryJob {
    private final RunAgentUseCase useCase;
    private final CountDownLatch started = new CountDownLatch(1);

    RunRecoveryJob(RunAgentUseCase useCase) {
        this.useCase = useCase;
    }

    /**
     * Recovery resumes runs, and a resumed run publishes on Kafka channels that Reactive Messaging wires in its own
     * (earlier, library-priority) start observer: on a slow start the first scheduled pass could come before that
     * and fail the runs it resumed. This observer has the default (application) priority, so it runs after it.
     */
    void onStart(@Observes StartupEvent event) {
        started.countDown();
    }

    @Scheduled(
            every = "${devloop.agent.recovery-interval}",
            delay = 2,
            delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resume() {
        try {
            if (!started.await(60, TimeUnit.SECONDS)) {
                return; // still starting after a minute: the next pass tries again
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
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
