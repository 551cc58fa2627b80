package dev.devloop.tools.application;

/** Bounds of the filesystem tools, taken from configuration. */
public record WorkspaceSettings(int maxPathChars, int maxFileBytes, int maxListEntries) {}
