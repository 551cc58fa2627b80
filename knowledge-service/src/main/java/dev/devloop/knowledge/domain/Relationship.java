package dev.devloop.knowledge.domain;

/** A typed, directed relationship between two entities of one tenant; {@code propertiesJson} is a JSON object. */
public record Relationship(String tenant, String from, String to, String type, String propertiesJson) {}
