package dev.devloop.knowledge.ports.in;

/** Create or merge an entity: properties (a JSON object, may be null) are merged into the existing ones. */
public record UpsertEntityCommand(String tenant, String id, String type, String propertiesJson) {}
