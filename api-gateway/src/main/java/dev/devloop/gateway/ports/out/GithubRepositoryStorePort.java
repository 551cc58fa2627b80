package dev.devloop.gateway.ports.out;

import java.util.List;
import java.util.Optional;

/**
 * Which tenant owns which GitHub repository ({@code owner/name}, lower case): each repository belongs to at most one
 * tenant, so a delivery to the un-tenanted webhook URL names its tenant by its {@code repository.full_name}.
 */
public interface GithubRepositoryStorePort {
    /** The outcome of a registration. */
    enum Registration {
        REGISTERED,
        ALREADY_YOURS,
        OWNED_BY_ANOTHER
    }

    /** Registers {@code repository} for {@code tenant} unless another tenant holds it (atomic across instances). */
    Registration register(String tenant, String repository);

    /** The tenant owning {@code repository}, if any. */
    Optional<String> owner(String repository);

    /** The tenant's repositories, ascending, at most {@code limit}. */
    List<String> list(String tenant, int limit);

    long count(String tenant);

    /** Whether {@code tenant} held {@code repository} (and no longer does). */
    boolean remove(String tenant, String repository);
}
