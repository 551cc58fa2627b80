package dev.devloop.gateway.ports.in;

/** Sets (or rotates) a tenant's GitHub webhook secret. */
public interface ManageGithubSecretUseCase {
    void setSecret(String tenant, String secret);
}
