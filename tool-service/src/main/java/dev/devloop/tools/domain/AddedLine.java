package dev.devloop.tools.domain;

/** One line a change adds: the file it lands in, its 1-based line number there, and its text. */
public record AddedLine(String file, int line, String text) {}
