package dev.devloop.provider.application;

import dev.devloop.contracts.ids.TimeOrderedIds;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import java.time.Clock;
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
                TimeOrderedIds.uuid(), // the ledger document's _id: time-ordered, see TimeOrderedIds
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
}
