package dev.devloop.knowledge.ports.in;

/** Create or merge a typed relationship between two existing entities. */
public record RelateEntitiesCommand(String tenant, String from, String to, String type, String propertiesJson) {}
