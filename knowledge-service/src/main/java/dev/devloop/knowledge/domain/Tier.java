package dev.devloop.knowledge.domain;

/** The storage tier of a fact, chosen by its time to live exactly as the seed prescribes. */
public enum Tier {
    SHORT("short"),
    MEDIUM("medium"),
    LONG("long");

    /** Facts living less than this many seconds go to the short tier (Redis). */
    public static final long SHORT_BELOW_SECONDS = 60;
    /** Facts living less than this many seconds (and at least a minute) go to the medium tier (MongoDB). */
    public static final long MEDIUM_BELOW_SECONDS = 86_400;

    private final String wireName;

    Tier(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire: {@code short}, {@code medium} or {@code long}. */
    public String wireName() {
        return wireName;
    }

    /** The tier for a TTL in seconds; {@code null} means "no expiry" and picks the long tier. */
    public static Tier forTtl(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return LONG;
        }
        if (ttlSeconds < SHORT_BELOW_SECONDS) {
            return SHORT;
        }
        if (ttlSeconds < MEDIUM_BELOW_SECONDS) {
            return MEDIUM;
        }
        return LONG;
    }
}
