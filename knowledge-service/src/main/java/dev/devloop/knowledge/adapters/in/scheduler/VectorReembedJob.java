package dev.devloop.knowledge.adapters.in.scheduler;

import dev.devloop.knowledge.config.KnowledgeConfig;
import dev.devloop.knowledge.ports.in.ReembedVectorsUseCase;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scheduled adapter re-embedding stored vectors of another model than the running one, {@code reembed.batch-size} per
 * run every {@code reembed.interval} (the first run one interval after the start, so it never holds readiness). A run
 * is skipped when the embedding backend or the store is down, and ends between embedding calls once the service
 * stops. After each run the gauge {@code devloop_knowledge_vectors_stale{kind,model}} holds the vectors left per kind
 * ({@code chunk}, {@code entity}) and the model they are of ({@code none}: untagged); 0 once converted.
 */
@ApplicationScoped
public class VectorReembedJob {
    private final ReembedVectorsUseCase reembed;
    private final MeterRegistry registry;
    private final boolean enabled;
    private final int batchSize;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean converged = new AtomicBoolean();
    private final Map<String, AtomicLong> stale = new ConcurrentHashMap<>();

    @Inject
    public VectorReembedJob(ReembedVectorsUseCase reembed, MeterRegistry registry, KnowledgeConfig config) {
        this(
                reembed,
                registry,
                config.embeddings().reembed().enabled(),
                config.embeddings().reembed().batchSize());
    }

    VectorReembedJob(ReembedVectorsUseCase reembed, MeterRegistry registry, boolean enabled, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("devloop.knowledge.embeddings.reembed.batch-size must be positive");
        }
        this.reembed = reembed;
        this.registry = registry;
        this.enabled = enabled;
        this.batchSize = batchSize;
    }

    @Scheduled(
            identity = "vector-reembed",
            every = "${devloop.knowledge.embeddings.reembed.interval}",
            delayed = "${devloop.knowledge.embeddings.reembed.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (enabled && !converged.get()) {
            runOnce();
        }
    }

    /**
     * True once a run found no vector of another model: the running model is fixed until the next start, so the job
     * stops scanning (each run's counts read every chunk and entity) instead of polling a converted store forever.
     */
    public boolean converged() {
        return converged.get();
    }

    /** One run (the scheduled one, or a test's); empty when it was skipped (a store or the embedder down). */
    public java.util.Optional<ReembedVectorsUseCase.Run> runOnce() {
        if (stopping.get()) {
            return java.util.Optional.empty();
        }
        try {
            ReembedVectorsUseCase.Run run = reembed.reembed(batchSize, stopping::get);
            record("chunk", run.staleChunks());
            record("entity", run.staleEntities());
            if (run.staleChunks().values().stream().allMatch(n -> n == 0)
                    && run.staleEntities().values().stream().allMatch(n -> n == 0)) {
                converged.set(true);
                Log.info("re-embed: every stored vector is of the running model; the job is idle until the next start");
            }
            return java.util.Optional.of(run);
        } catch (DependencyUnavailableException | TierUnavailableException e) {
            Log.warnf("re-embed run skipped: %s", e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** Sets the kind's gauges to this run's counts; a model no longer found drops to 0. */
    private void record(String kind, Map<String, Long> counts) {
        stale.forEach((key, value) -> {
            if (key.startsWith(kind + "|")) {
                value.set(0);
            }
        });
        counts.forEach((model, n) -> stale.computeIfAbsent(kind + "|" + model, key -> {
                    AtomicLong holder = new AtomicLong();
                    Gauge.builder("devloop.knowledge.vectors.stale", holder, AtomicLong::get)
                            .description("Stored vectors of another embedding model than the running one, left for"
                                    + " the re-embed job (model none: untagged)")
                            .tag("kind", kind)
                            .tag("model", model)
                            .register(registry);
                    return holder;
                })
                .set(n));
    }

    /** The last run's count for {@code kind} and {@code model} (0 when none was seen). */
    public long stale(String kind, String model) {
        AtomicLong n = stale.get(kind + "|" + model);
        return n == null ? 0 : n.get();
    }

    /** A run in progress ends at its next embedding call; no run starts after this. */
    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
    }
}
