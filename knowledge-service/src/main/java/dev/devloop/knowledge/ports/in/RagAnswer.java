package dev.devloop.knowledge.ports.in;

import dev.devloop.contracts.provider.Usage;
import java.util.List;

/** The generated answer, the numbered sources given to the model, and the model's token usage. */
public record RagAnswer(String answer, List<Source> sources, Usage usage, String provider, String model) {

    /** A numbered source: the chunk behind {@code [index]} in the prompt. */
    public record Source(int index, String documentId, String title, int chunkIndex) {}
}
