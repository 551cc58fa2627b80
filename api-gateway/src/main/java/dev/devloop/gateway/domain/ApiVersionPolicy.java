package dev.devloop.gateway.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Which API versions are served: the current one, deprecated ones (served as the current one until their
 * sunset, with Deprecation/Sunset), and nothing else. A retired version (past its sunset) is gone (410).
 */
public final class ApiVersionPolicy {
    private final int current;
    private final Map<Integer, Instant> sunsets;
    private final Map<Integer, Instant> deprecatedSince;

    public ApiVersionPolicy(int current, Map<Integer, Instant> sunsets, Map<Integer, Instant> deprecatedSince) {
        this.current = current;
        this.sunsets = Map.copyOf(sunsets);
        this.deprecatedSince = Map.copyOf(deprecatedSince);
        if (this.sunsets.containsKey(current)) {
            throw new IllegalArgumentException("the current API version " + current + " cannot be deprecated");
        }
    }

    /** What to do with a request for a version. */
    public sealed interface Decision {
        /** Served by the current version; {@code deprecated} carries the headers to add, or is null. */
        record Serve(int version, Deprecated deprecated) implements Decision {}

        /** The version is past its sunset: 410. */
        record Retired(int version, Instant sunset) implements Decision {}

        /** Not a version this gateway knows: 404. */
        record Unknown(String version) implements Decision {}

        /** The path and the X-API-Version header disagree, or the header is malformed: 400. */
        record Invalid(String detail) implements Decision {}
    }

    /** A deprecated version's dates: since when (may be null) and its sunset. */
    public record Deprecated(int version, Instant since, Instant sunset) {}

    public int current() {
        return current;
    }

    /**
     * Decides for a path version ({@code null} when the path is unversioned) and an {@code X-API-Version}
     * header ({@code null} when absent) at {@code now}.
     */
    public Decision decide(String pathVersion, String header, Instant now) {
        Integer fromHeader = null;
        if (header != null) {
            fromHeader = parse(header.trim().startsWith("v") ? header.trim().substring(1) : header.trim());
            if (fromHeader == null) {
                return new Decision.Invalid("X-API-Version must be a version number such as " + current);
            }
        }
        Integer fromPath = pathVersion == null ? null : parse(pathVersion);
        if (pathVersion != null && fromPath == null) {
            return new Decision.Unknown(pathVersion);
        }
        if (fromPath != null && fromHeader != null && !fromPath.equals(fromHeader)) {
            return new Decision.Invalid("X-API-Version " + fromHeader + " contradicts the path's version " + fromPath);
        }
        int version = fromPath != null ? fromPath : fromHeader != null ? fromHeader : current;
        if (version == current) {
            return new Decision.Serve(version, null);
        }
        Instant sunset = sunsets.get(version);
        if (sunset == null) {
            return new Decision.Unknown(Integer.toString(version));
        }
        if (!Objects.requireNonNull(now).isBefore(sunset)) {
            return new Decision.Retired(version, sunset);
        }
        return new Decision.Serve(version, new Deprecated(version, deprecatedSince.get(version), sunset));
    }

    private static Integer parse(String text) {
        if (text.isEmpty() || text.length() > 3) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(text);
    }
}
