package dev.devloop.provider.domain;

import java.time.Duration;

/** Response-cache settings: on/off, entry lifetime and largest entry stored. */
public record CacheSettings(boolean enabled, Duration ttl, int maxEntryBytes) {}
