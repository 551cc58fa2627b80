package dev.devloop.tools.application;

/**
 * The per-tenant quota ran out (REST: 429): which window ran out, its ceiling, and how many whole seconds remain
 * until that window ends (when the fixed window frees a slot) — what {@code Retry-After} and the
 * {@code RateLimit-*} headers of the REST answer say.
 */
public final class QuotaExceeded extends ToolProblems.Denied {
    private final String window;
    private final long limit;
    private final long windowSeconds;
    private final long retryAfterSeconds;

    QuotaExceeded(String tenant, String window, long limit, long windowSeconds, long retryAfterSeconds) {
        super(
                "tenantQuota",
                Reason.TOO_MANY,
                "tool-quota-exceeded",
                "Too many tool calls",
                "denied by rule tenantQuota: tenant '" + tenant + "' may make at most " + limit + " tool calls per "
                        + window + "; retry in " + retryAfterSeconds + " s",
                null);
        this.window = window;
        this.limit = limit;
        this.windowSeconds = windowSeconds;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@code minute} or {@code day}. */
    public String window() {
        return window;
    }

    /** The ceiling of that window. */
    public long limit() {
        return limit;
    }

    /** The window's length in seconds (60 or 86400). */
    public long windowSeconds() {
        return windowSeconds;
    }

    /** Whole seconds (at least 1) until the window ends. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * Seconds from {@code nowMillis} to the end of the fixed window of {@code windowSeconds} holding it,
     * rounded up, at least 1.
     */
    static long secondsUntilWindowEnds(long nowMillis, long windowSeconds) {
        long windowMillis = windowSeconds * 1000;
        long end = Math.floorDiv(nowMillis, windowMillis) * windowMillis + windowMillis;
        return Math.max(1, (end - nowMillis + 999) / 1000);
    }
}
