package dev.devloop.knowledge.application;

/** Bounds applied to fact requests; all come from configuration. */
public record FactLimits(int maxKeyLength, int maxValueBytes, long maxTtlSeconds, int maxListSize) {
    public FactLimits {
        if (maxKeyLength < 1 || maxValueBytes < 1 || maxTtlSeconds < 1 || maxListSize < 1) {
            throw new IllegalArgumentException("fact limits must be positive");
        }
    }
}
