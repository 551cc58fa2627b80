package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Validates client path segments and query values and encodes them for the downstream URL. */
final class PathSegments {
    private static final int MAX_SEGMENT = 256;

    private PathSegments() {}

    /** {@code value} percent-encoded as one path segment; 400 naming {@code field} when blank, too long or with control characters. */
    static String segment(String field, String value) {
        return encode(check(field, value, true));
    }

    /** Checks an optional query value: at most 256 characters, no control characters. */
    static String check(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw ProblemException.badRequest(field, field + " is required");
            }
            return null;
        }
        if (value.length() > MAX_SEGMENT) {
            throw ProblemException.badRequest(field, field + " must be at most " + MAX_SEGMENT + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw ProblemException.badRequest(field, field + " must not contain control characters");
            }
        }
        return value;
    }

    /** A query string of the non-null values, encoded; {@code null} when there are none. */
    static String query(Map<String, ?> params) {
        StringJoiner joined = new StringJoiner("&");
        params.forEach((name, value) -> {
            if (value != null) {
                joined.add(encode(name) + "=" + encode(value.toString()));
            }
        });
        return joined.length() == 0 ? null : joined.toString();
    }

    /** An insertion-ordered map for {@link #query}. */
    static Map<String, Object> params(Object... nameValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put((String) nameValues[i], nameValues[i + 1]);
        }
        return map;
    }

    /** RFC 3986: everything but unreserved characters percent-encoded (UTF-8). */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
