package dev.devloop.knowledge.domain;

/**
 * One cached read of one tenant: {@code region} decides how it is invalidated, {@code kind} names the read
 * (entity, neighbourhood, search, …; it is also the metrics tag) and {@code name} identifies it within the kind.
 * Its stable text form, {@link #path()}, is {@code {region}:{kind}:{name}}; that is what invalidation events carry.
 */
public record CacheKey(String tenant, CacheRegion region, String kind, String name) {

    /** {@code {region}:{kind}:{name}}, the key below the tenant's prefix. */
    public String path() {
        return region.wireName() + ":" + kind + ":" + name;
    }

    /** The key of one fact read; entity and attribute escaped so that no two facts share a key. */
    public static CacheKey fact(String tenant, String entity, String attribute) {
        return new CacheKey(tenant, CacheRegion.FACTS, "fact", escape(entity) + ":" + escape(attribute));
    }

    /** The key of the fact list of one entity. */
    public static CacheKey factList(String tenant, String entity) {
        return new CacheKey(tenant, CacheRegion.FACTS, "facts", escape(entity));
    }

    /** {@code %} → {@code %25}, {@code :} → {@code %3A}: the parts of a key can then be told apart. */
    static String escape(String part) {
        return part.replace("%", "%25").replace(":", "%3A");
    }
}
