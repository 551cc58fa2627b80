package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.problem.Refusal;
import java.util.List;

/**
 * The GitHub repositories ({@code owner/name}) a tenant owns, registered by its admin: deliveries to the
 * un-tenanted webhook URL are verified with the secret of the tenant owning their {@code repository.full_name}.
 * Refusals: a malformed name ({@link Refusal.Reason#INVALID}, field {@code repository}), a repository
 * another tenant holds or a full list ({@link Refusal.Reason#CONFLICT}).
 */
public interface ManageGithubRepositoriesUseCase {
    /** Registers {@code repository} for {@code tenant}; false when the tenant held it already. */
    boolean register(String tenant, String repository);

    /** The tenant's repositories, lower case, ascending. */
    List<String> repositories(String tenant);

    /** Whether the tenant held {@code repository} (and no longer does). */
    boolean unregister(String tenant, String repository);
}
