package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.UsageRecord;

/** Outgoing port to the usage ledger; recording never fails the call it describes. */
public interface UsageLedgerPort {

    void record(UsageRecord usage);
}
