package dev.devloop.tools.application;

import dev.devloop.tools.ports.out.ForgePort;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chooses the forge adapter serving a repository from {@code devloop.tools.forge.repositories.<name>.kind}
 * ({@code local} by default). The adapters are given by kind; a repository whose kind has no adapter answers a
 * readable failure instead of silently using another forge.
 */
public final class ForgeRouter {
    private final Map<String, ForgePort> byKind;
    private final ForgeSettings settings;

    public ForgeRouter(Map<String, ForgePort> byKind, ForgeSettings settings) {
        this.byKind = new TreeMap<>(byKind);
        this.settings = settings;
    }

    /** The adapter of {@code repository}'s kind, if this service has one. */
    public Optional<ForgePort> find(String repository) {
        return Optional.ofNullable(byKind.get(settings.kindOf(repository)));
    }

    public ForgePort forRepository(String repository) {
        return find(repository)
                .orElseThrow(() -> new ToolFailure("repository " + repository
                        + " is served by the forge kind '" + settings.kindOf(repository)
                        + "', which this tool-service has no adapter for"
                        + " (available: " + byKind.keySet() + ")"));
    }

    public String kindOf(String repository) {
        return settings.kindOf(repository);
    }
}
