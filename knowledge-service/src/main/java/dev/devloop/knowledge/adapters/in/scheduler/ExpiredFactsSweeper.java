package dev.devloop.knowledge.adapters.in.scheduler;

import dev.devloop.knowledge.ports.in.SweepExpiredFactsUseCase;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Scheduled adapter running the sweeper of expired facts at {@code devloop.knowledge.sweeper.every}. */
@ApplicationScoped
public class ExpiredFactsSweeper {
    private final SweepExpiredFactsUseCase sweeper;

    public ExpiredFactsSweeper(SweepExpiredFactsUseCase sweeper) {
        this.sweeper = sweeper;
    }

    @Scheduled(
            every = "${devloop.knowledge.sweeper.every}",
            delayed = "${devloop.knowledge.sweeper.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        sweeper.sweep();
    }
}
