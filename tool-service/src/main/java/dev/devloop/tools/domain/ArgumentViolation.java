package dev.devloop.tools.domain;

/** One way the arguments break the tool's JSON schema; {@code field} is the argument's path. */
public record ArgumentViolation(String field, String message) {}
