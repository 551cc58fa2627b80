package dev.devloop.knowledge.domain;

import java.util.List;

/**
 * A filter on one top-level entity property: the property must equal one of {@code values} (one value for an
 * equality, several for {@code in}). Values are strings, longs, doubles or booleans; {@code 3} matches
 * {@code 3.0}. Nested objects, arrays and null are never matched.
 */
public record PropertyFilter(String key, List<Object> values) {
    public PropertyFilter {
        values = List.copyOf(values);
    }
}
