package dev.devloop.knowledge.application;

import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Input checks shared by the document, search and RAG use cases; each failure is a 400 naming the field. */
final class Inputs {
    /** Metadata keys become chunk property names (prefixed) and filter keys. */
    static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private Inputs() {}

    /** A required, trimmed text of at most {@code max} characters without control characters other than whitespace. */
    static String text(String field, String value, int max, boolean allowNewlines) {
        if (value == null || value.isBlank()) {
            throw KnowledgeRefusal.invalid(field, field + " is required");
        }
        if (value.length() > max) {
            throw KnowledgeRefusal.invalid(field, field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean whitespace = c == '\n' || c == '\r' || c == '\t';
            if (Character.isISOControl(c) && !(allowNewlines && whitespace)) {
                throw KnowledgeRefusal.invalid(field, field + " contains control characters");
            }
        }
        return value.strip();
    }

    /** Scalar metadata (string, number, boolean) with well-formed keys, at most {@code maxEntries}. */
    static Map<String, Object> metadata(
            String field, Map<String, Object> metadata, int maxEntries, int maxValueLength) {
        Map<String, Object> checked = new LinkedHashMap<>();
        if (metadata == null) {
            return checked;
        }
        if (metadata.size() > maxEntries) {
            throw KnowledgeRefusal.invalid(field, field + " has more than " + maxEntries + " entries");
        }
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || !METADATA_KEY.matcher(key).matches()) {
                throw KnowledgeRefusal.invalid(field, field + " keys must match " + METADATA_KEY.pattern());
            }
            Object value = e.getValue();
            if (value instanceof String s) {
                if (s.length() > maxValueLength) {
                    throw KnowledgeRefusal.invalid(
                            field + "." + key, "value is longer than " + maxValueLength + " characters");
                }
            } else if (value instanceof Integer || value instanceof Long) {
                value = ((Number) value).longValue();
            } else if (value instanceof Number n) {
                if (!Double.isFinite(n.doubleValue())) {
                    throw KnowledgeRefusal.invalid(field + "." + key, "value must be a finite number");
                }
                value = n.doubleValue();
            } else if (!(value instanceof Boolean)) {
                throw KnowledgeRefusal.invalid(field + "." + key, "value must be a string, number or boolean");
            }
            checked.put(key, value);
        }
        return checked;
    }

    /** An optional count in {@code 1..max}, else {@code fallback}. */
    static int count(String field, Integer value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > max) {
            throw KnowledgeRefusal.invalid(field, field + " must be between 1 and " + max);
        }
        return value;
    }

    /** The UTF-8 length of {@code s} without encoding it; an unpaired surrogate counts 3 bytes (an upper bound). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
