package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.GithubSecret;
import java.util.Optional;

/** Per-tenant GitHub webhook secrets. */
public interface GithubSecretStorePort {
    Optional<GithubSecret> find(String tenant);

    void save(GithubSecret secret);
}
