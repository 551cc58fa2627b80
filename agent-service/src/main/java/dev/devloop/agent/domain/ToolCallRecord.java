package dev.devloop.agent.domain;

/** A tool call the model asked for, with its JSON arguments as text. */
public record ToolCallRecord(String id, String name, String argumentsJson) {}
