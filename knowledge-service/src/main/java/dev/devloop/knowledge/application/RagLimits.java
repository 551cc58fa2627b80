package dev.devloop.knowledge.application;

/** Bounds of RAG: question length, chunks retrieved, context budget in tokens (≈ 4 characters each), answer tokens. */
public record RagLimits(
        int maxQuestionLength, int defaultLimit, int maxLimit, int contextTokens, int maxAnswerTokens) {}
