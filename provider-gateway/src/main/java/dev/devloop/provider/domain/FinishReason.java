package dev.devloop.provider.domain;

/** Why a model stopped generating, normalised across providers (docs/design.md §2). */
public enum FinishReason {
    STOP("stop"),
    TOOL_CALLS("tool_calls"),
    LENGTH("length"),
    CONTENT_FILTER("content_filter"),
    OTHER("other");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    /** The value sent on the wire in {@code GenerateResponse.finishReason}. */
    public String wire() {
        return wire;
    }
}
