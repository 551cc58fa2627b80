package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.ports.in.SweepExpiredFactsUseCase;
import dev.devloop.knowledge.ports.out.ExpiredFactsPort;
import dev.devloop.knowledge.ports.out.ProcessedEventsPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes expired facts from stores that do not expire documents themselves (the local MongoDB
 * server ignores TTL indexes; long-tier facts with a TTL live in Neo4j). Reads never depend on it:
 * they filter expired facts anyway. It also forgets processed event ids older than the retention.
 */
public class SweepService implements SweepExpiredFactsUseCase {
    private static final Logger LOG = Logger.getLogger(SweepService.class);

    private final List<ExpiredFactsPort> stores;
    private final ProcessedEventsPort processed;
    private final Duration dedupRetention;
    private final int batchSize;
    private final int maxBatches;
    private final Clock clock;

    public SweepService(
            List<ExpiredFactsPort> stores,
            ProcessedEventsPort processed,
            Duration dedupRetention,
            int batchSize,
            int maxBatches,
            Clock clock) {
        this.stores = List.copyOf(stores);
        this.processed = processed;
        this.dedupRetention = dedupRetention;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.clock = clock;
    }

    @Override
    public int sweep() {
        int total = 0;
        for (ExpiredFactsPort store : stores) {
            try {
                int batches = 0;
                int deleted;
                do {
                    deleted = store.deleteExpired(clock.instant(), batchSize);
                    total += deleted;
                    batches++;
                } while (deleted == batchSize && batches < maxBatches);
            } catch (TierUnavailableException e) {
                Log.warnf("sweep of the %s tier skipped: %s", store.tier().wireName(), e.getMessage());
            }
        }
        try {
            int forgotten = processed.forgetBefore(clock.instant().minus(dedupRetention), batchSize * maxBatches);
            if (forgotten > 0) {
                LogFields.of("count", forgotten).info(LOG, "processed event ids forgotten");
            }
        } catch (TierUnavailableException e) {
            Log.warnf("pruning processed event ids skipped: %s", e.getMessage());
        }
        if (total > 0) {
            LogFields.of("count", total).info(LOG, "expired facts swept");
        }
        return total;
    }
}
