package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.problem.Refusal;

/**
 * Verifies a GitHub delivery and publishes it as a CloudEvent. Refusals are thrown as {@link Refusal}s:
 * {@code UNAUTHORIZED} for anything about the signature, tenant, repository or secret (never saying which),
 * {@code TOO_LARGE} for a body over the bound, {@code INVALID} for a bad header or body.
 */
public interface ReceiveGithubWebhookUseCase {
    /** A delivery to the tenant's own URL ({@link GithubDelivery#tenant()}). */
    GithubOutcome receive(GithubDelivery delivery);

    /**
     * A delivery to the un-tenanted URL ({@link GithubDelivery#tenant()} ignored): the tenant is the one that
     * registered the payload's {@code repository.full_name}, and the signature must verify under its secret; an
     * unknown or missing repository is refused exactly like a bad signature.
     */
    GithubOutcome receiveForRepository(GithubDelivery delivery);
}
