package dev.devloop.tools.domain;

/**
 * A tool's parameter schema (a JSON-schema object) as its compact JSON text. The domain keeps it opaque: the
 * application and the argument validator read it with their JSON library; the registry stores and serves it as is.
 */
public record ParameterSchema(String json) {
    public ParameterSchema {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("a parameter schema is JSON text");
        }
    }

    @Override
    public String toString() {
        return json;
    }
}
