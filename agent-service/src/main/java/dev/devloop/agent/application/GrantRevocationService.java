package dev.devloop.agent.application;

import dev.devloop.agent.ports.in.RecordGrantRevocationUseCase;
import dev.devloop.agent.ports.out.GrantRevocationRepositoryPort;
import dev.devloop.agent.ports.out.StoreRetryPort;
import dev.devloop.contracts.events.GrantRevoked;

/**
 * Producer grant revocations. Both sides ride out a short store outage: a revocation must not be lost, and a task's
 * grant must not be taken as valid because its revocation could not be read (after the retries the lookup fails,
 * so the task is refused, never run).
 */
public final class GrantRevocationService implements RecordGrantRevocationUseCase {
    private final GrantRevocationRepositoryPort revocations;
    private final StoreRetryPort store;

    public GrantRevocationService(GrantRevocationRepositoryPort revocations, StoreRetryPort store) {
        this.revocations = revocations;
        this.store = store;
    }

    @Override
    public boolean record(GrantRevoked revocation) {
        return store.call("grant-revocation-save", () -> revocations.saveIfAbsent(revocation));
    }

    @Override
    public boolean revoked(String grantId) {
        return store.call("grant-revocation-lookup", () -> revocations.exists(grantId));
    }
}
