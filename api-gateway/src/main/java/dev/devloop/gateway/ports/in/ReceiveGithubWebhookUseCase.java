package dev.devloop.gateway.ports.in;

/**
 * Verifies a GitHub delivery and publishes it as a CloudEvent. Refusals are thrown as
 * {@code ProblemException}s: 401 for anything about the signature, tenant or secret (never saying which),
 * 413 for a body over the bound, 400 for a bad header or body.
 */
public interface ReceiveGithubWebhookUseCase {
    GithubOutcome receive(GithubDelivery delivery);
}
