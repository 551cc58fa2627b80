package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/** Writes every answered call to the usage ledger and the usage topic; neither may fail the call. */
final class UsageRecorder {
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final UsageLedgerPort ledger;
    private final PublishUsagePort usageEvents;
    private final Clock clock;

    UsageRecorder(UsageLedgerPort ledger, PublishUsagePort usageEvents, Clock clock) {
        this.ledger = ledger;
        this.usageEvents = usageEvents;
        this.clock = clock;
    }

    /** A cache hit is recorded with 0 tokens and cost 0. */
    void record(GenerateCommand command, GenerateResponse r, boolean streamed, Double cost) {
        Usage u = r.usage() == null ? Usage.NONE : r.usage();
        UsageRecord record = new UsageRecord(
                callId(),
                command.tenant(),
                command.agentId(),
                r.provider(),
                r.model(),
                r.cached() ? 0 : u.inputTokens(),
                r.cached() ? 0 : u.outputTokens(),
                r.cached() ? 0 : u.totalTokens(),
                r.cached(),
                streamed,
                r.finishReason(),
                r.latencyMs(),
                clock.instant(),
                r.cached() ? Double.valueOf(0) : cost);
        try {
            ledger.record(record);
        } catch (RuntimeException e) {
            LogFields.of("tenant", command.tenant(), "error", e.getClass().getSimpleName())
                    .warn(LOG, "usage ledger write failed");
        }
        try {
            usageEvents.publish(record);
        } catch (RuntimeException e) {
            LogFields.of("tenant", command.tenant(), "error", e.getClass().getSimpleName())
                    .warn(LOG, "usage event failed");
        }
    }

    /**
     * A time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds, then 74 random bits) for the usage record:
     * unique, not secret, so from ThreadLocalRandom rather than {@link UUID#randomUUID()}'s SecureRandom, whose lock
     * every worker thread contended for once per call. It is the ledger document's {@code _id}: ids that grow with time
     * append to the right edge of the {@code _id} B-tree instead of dirtying a random page of it per insert (random
     * version 4 ids made the local MongoDB stand-in rewrite a random data page per call).
     */
    static String callId() {
        return callId(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static String callId(long epochMillis, java.util.random.RandomGenerator random) {
        long most = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
