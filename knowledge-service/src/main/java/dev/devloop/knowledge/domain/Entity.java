package dev.devloop.knowledge.domain;

import java.time.Instant;

/** A typed graph node of one tenant; {@code propertiesJson} is a JSON object, {@code type} null for an untyped fact holder. */
public record Entity(String tenant, String id, String type, String propertiesJson, Instant updatedAt) {}
