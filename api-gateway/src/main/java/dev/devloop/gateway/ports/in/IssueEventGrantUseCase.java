package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;

/** Incoming port: producer grants for a tenant's own Kafka producers (issue #17). */
public interface IssueEventGrantUseCase {
    /**
     * A grant for the caller's tenant on {@code topic} (null: {@code devloop.agent.tasks}) for {@code ttlSeconds}
     * (null: the default); a topic that takes no grants or a lifetime out of bounds is a {@link GatewayRefusal}
     * naming {@code topic} or {@code ttlSeconds}.
     */
    EventGrant issue(Caller caller, String topic, Long ttlSeconds);
}
