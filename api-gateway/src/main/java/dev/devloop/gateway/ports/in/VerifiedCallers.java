package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;

/**
 * Incoming port: the caller of a bearer token whose signature and claims were verified moments ago (the verified-token
 * cache), so a hot read can skip the framework's authentication chain for a token it has just seen.
 */
public interface VerifiedCallers {

    /**
     * The caller of {@code token} when it is still remembered as verified and its claims make a usable caller; null
     * otherwise (unknown, expired, no longer trusted, or claims the edge refuses), and the caller is authenticated
     * in full.
     */
    Caller known(String token);
}
