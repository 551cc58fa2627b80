package dev.devloop.knowledge.ports.in;

import java.util.List;

/** What a batch ingest did with each document, in the order they were sent. */
public record BatchIngestResult(List<Outcome> results) {
    /** What happened to one document. */
    public enum Result {
        /** a new id: stored */
        CREATED,
        /** an existing id with other content: its chunks replaced */
        REPLACED,
        /** an existing id with the same content: nothing written */
        UNCHANGED,
        /** invalid: nothing written for it, see {@code rejection} */
        REJECTED
    }

    /**
     * One document's outcome: {@code index} in the batch, its id (null when rejected before it had one), the chunk
     * count written (0 when nothing was written) and, when rejected, why (its field prefixed with
     * {@code documents[index].}).
     */
    public record Outcome(int index, String id, Result result, int chunkCount, KnowledgeRefusal rejection) {}

    public long count(Result result) {
        return results.stream().filter(o -> o.result() == result).count();
    }
}
