package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.UsageRecord;

/** Outgoing port publishing usage events on {@code devloop.provider.usage}; never fails the call. */
public interface PublishUsagePort {

    void publish(UsageRecord usage);
}
