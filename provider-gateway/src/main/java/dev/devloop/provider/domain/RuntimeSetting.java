package dev.devloop.provider.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings a tenant may change at run time ({@code PUT /v1/settings/{setting}}), each with its
 * type and range. Values are kept in their canonical text form ({@code "600"}, {@code "true"}) so a
 * store can hold them as plain strings.
 */
public enum RuntimeSetting {
    /** How long a cached answer of this tenant lives, in seconds (0..86400); 0 stores nothing. */
    RESPONSE_CACHE_TTL_SECONDS("response-cache-ttl-seconds", "integer", 0, 86_400),
    /** Whether this tenant's requests use the response cache at all (no lookup, no store when false). */
    RESPONSE_CACHE_ENABLED("response-cache-enabled", "boolean", 0, 0);

    private final String key;
    private final String type;
    private final long min;
    private final long max;

    RuntimeSetting(String key, String type, long min, long max) {
        this.key = key;
        this.type = type;
        this.min = min;
        this.max = max;
    }

    public String key() {
        return key;
    }

    public String type() {
        return type;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(RuntimeSetting::key).toList();
    }

    public static Optional<RuntimeSetting> of(String key) {
        if (key == null) {
            return Optional.empty();
        }
        String k = key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.key.equals(k)).findFirst();
    }

    /**
     * Checks a value as it came off the wire (a JSON number, boolean, …, already a Java object) and
     * returns its canonical text form; throws {@link IllegalArgumentException} saying what is wrong.
     */
    public String canonical(Object value) {
        if ("boolean".equals(type)) {
            if (value instanceof Boolean b) {
                return b.toString();
            }
            throw new IllegalArgumentException("'" + key + "' takes a boolean (true or false), not " + describe(value));
        }
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            n = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 63) {
            n = big.longValue();
        } else if (value instanceof BigDecimal dec
                && dec.stripTrailingZeros().scale() <= 0
                && dec.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
            n = dec.longValue();
        } else if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            n = d.longValue();
        } else {
            throw new IllegalArgumentException(
                    "'" + key + "' takes an integer from " + min + " to " + max + ", not " + describe(value));
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("'" + key + "' must be from " + min + " to " + max + ", got " + n);
        }
        return Long.toString(n);
    }

    /** The typed value of a canonical text form ({@code Long} or {@code Boolean}); null for null. */
    public Object typed(String canonical) {
        if (canonical == null) {
            return null;
        }
        return "boolean".equals(type) ? Boolean.valueOf(canonical) : Long.valueOf(canonical);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (value instanceof Number) {
            return "the number " + value;
        }
        return "a "
                + (value instanceof java.util.Map
                        ? "JSON object"
                        : value instanceof java.util.List
                                ? "JSON array"
                                : value.getClass().getSimpleName());
    }
}
