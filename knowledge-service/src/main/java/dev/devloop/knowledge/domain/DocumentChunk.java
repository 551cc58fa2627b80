package dev.devloop.knowledge.domain;

/** One chunk of a document as stored: its position, text and embedding. */
public record DocumentChunk(int index, String text, float[] embedding) {}
