package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.UsageReport;

/** Outgoing port summing the usage ledger; failures propagate. */
public interface UsageReportPort {

    UsageReport report(UsageReport.Query query);
}
