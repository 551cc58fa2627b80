package dev.devloop.tools.ports.out;

import java.util.Optional;

/**
 * Recognises a store outage among the failures an adapter lets through untranslated (the MongoDB adapters throw the
 * driver's exceptions): the application cannot name those types, so the adapter that owns the store tells.
 */
public interface DependencyOutages {
    /** Recognises nothing. */
    DependencyOutages NONE = failure -> Optional.empty();

    /** The store that could not be reached when {@code failure} (or one of its causes) happened; empty otherwise. */
    Optional<String> unreachable(Throwable failure);
}
