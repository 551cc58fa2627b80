package dev.devloop.knowledge.ports.in;

/** Incoming port of retrieval-augmented generation. */
public interface RagUseCase {
    RagAnswer answer(RagQueryCommand command);
}
