package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.in.DeleteFactUseCase;
import dev.devloop.knowledge.ports.in.GetFactUseCase;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.ListFactsUseCase;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.in.StoreFactUseCase;
import dev.devloop.knowledge.ports.out.FactTierPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Tiered fact memory: writes go to the tier the TTL selects and remove the key from the other tiers;
 * reads cascade short → medium → long.
 */
public class FactService implements StoreFactUseCase, GetFactUseCase, ListFactsUseCase, DeleteFactUseCase {
    private static final Logger LOG = Logger.getLogger(FactService.class);

    private final Map<Tier, FactTierPort> tiers;
    private final FactRules rules;
    private final FactLimits limits;
    private final Clock clock;
    private final ReadCache cache;

    public FactService(
            FactTierPort shortTier, FactTierPort mediumTier, FactTierPort longTier, FactLimits limits, Clock clock) {
        this(shortTier, mediumTier, longTier, limits, clock, ReadCache.disabled());
    }

    /**
     * With a read cache: medium and long facts read are cached until the cache TTL or their own expiry, whichever
     * is first (short facts already live in Redis); a write or delete evicts the fact and its entity's list.
     */
    public FactService(
            FactTierPort shortTier,
            FactTierPort mediumTier,
            FactTierPort longTier,
            FactLimits limits,
            Clock clock,
            ReadCache cache) {
        this.cache = cache;
        this.tiers = new EnumMap<>(Tier.class);
        register(shortTier, Tier.SHORT);
        register(mediumTier, Tier.MEDIUM);
        register(longTier, Tier.LONG);
        this.rules = new FactRules(limits);
        this.limits = limits;
        this.clock = clock;
    }

    private void register(FactTierPort port, Tier expected) {
        if (port.tier() != expected) {
            throw new IllegalArgumentException("store for " + port.tier() + " wired as " + expected);
        }
        tiers.put(expected, port);
    }

    @Override
    public StoredFact store(StoreFactCommand command) {
        FactKey key = rules.key(command.tenant(), command.entity(), command.attribute());
        String value = rules.value(command.valueJson());
        Long ttl = rules.ttl(command.ttlSeconds());
        Tier tier = Tier.forTtl(ttl);
        Instant now = clock.instant();
        StoredFact fact = new StoredFact(key, value, tier, ttl == null ? null : now.plusSeconds(ttl), now);
        tiers.get(tier).save(fact);
        for (Tier other : Tier.values()) {
            if (other != tier) {
                removeStaleCopy(other, key);
            }
        }
        evict(key, "fact stored");
        fields(key).and("tier", tier.wireName()).info(LOG, "fact stored");
        return fact;
    }

    /**
     * A write must not leave an older copy in another tier: a shorter tier would shadow the new value
     * and a longer one would resurface when it expires. A tier that is down cannot be cleaned; the write
     * still stands (it is durable in its own tier) and the miss is logged.
     */
    private void removeStaleCopy(Tier tier, FactKey key) {
        try {
            tiers.get(tier).delete(key);
        } catch (TierUnavailableException e) {
            fields(key)
                    .and("tier", tier.wireName())
                    .and("error", e.getMessage())
                    .warn(LOG, "could not remove an older copy of a fact from another tier");
        }
    }

    private void evict(FactKey key, String reason) {
        cache.invalidate(
                key.tenant(),
                Set.of(),
                List.of(
                        CacheKey.fact(key.tenant(), key.entity(), key.attribute()),
                        CacheKey.factList(key.tenant(), key.entity())),
                reason);
    }

    /**
     * Short tier first (it is Redis: never cached), then the cache, which fronts the medium → long cascade;
     * a cached fact lives at most until its own expiry.
     */
    @Override
    public StoredFact get(String tenant, String entity, String attribute) {
        FactKey key = rules.key(tenant, entity, attribute);
        Instant now = clock.instant();
        TierUnavailableException shortDown = null;
        try {
            Optional<StoredFact> found = tiers.get(Tier.SHORT).find(key, now);
            if (found.isPresent()) {
                logRead(key, Tier.SHORT);
                return found.get();
            }
        } catch (TierUnavailableException e) {
            shortDown = e;
        }
        TierUnavailableException down = shortDown;
        StoredFact fact = cache.read(
                CacheKey.fact(key.tenant(), key.entity(), key.attribute()),
                StoredFact.class,
                () -> cascade(key, now, down),
                f -> lifetime(f, now));
        return fact.expiredAt(clock.instant()) ? cascade(key, clock.instant(), down) : fact;
    }

    /** How long a fact read at {@code now} may be cached: until it expires (unbounded when it never does). */
    private static Duration lifetime(StoredFact fact, Instant now) {
        return fact.expiresAt() == null ? null : Duration.between(now, fact.expiresAt());
    }

    private static void logRead(FactKey key, Tier tier) {
        fields(key).and("tier", tier.wireName()).info(LOG, "fact read");
    }

    /** The medium → long part of the cascade; {@code down} is the short tier's failure, if any. */
    private StoredFact cascade(FactKey key, Instant now, TierUnavailableException shortDown) {
        TierUnavailableException down = shortDown;
        for (Tier tier : List.of(Tier.MEDIUM, Tier.LONG)) {
            try {
                Optional<StoredFact> found = tiers.get(tier).find(key, now);
                if (found.isPresent()) {
                    logRead(key, tier);
                    return found.get();
                }
            } catch (TierUnavailableException e) {
                down = down == null ? e : down;
            }
        }
        if (down != null) {
            throw down;
        }
        fields(key).info(LOG, "fact not found");
        throw notFound(key);
    }

    /** The short tier's facts (live) over the medium and long ones (cached until the first of them expires). */
    @Override
    public List<StoredFact> list(String tenant, String entity) {
        FactKey probe = rules.key(tenant, entity, "-");
        Instant now = clock.instant();
        Map<String, StoredFact> byAttribute = new LinkedHashMap<>();
        add(byAttribute, tiers.get(Tier.SHORT).list(probe.tenant(), probe.entity(), now, limits.maxListSize()));
        List<StoredFact> longer = cache.read(
                        CacheKey.factList(probe.tenant(), probe.entity()),
                        CachedViews.Facts.class,
                        () -> new CachedViews.Facts(listLonger(probe, now)),
                        found -> found.facts().stream()
                                .map(f -> lifetime(f, now))
                                .filter(d -> d != null)
                                .min(Duration::compareTo)
                                .orElse(null))
                .facts();
        Instant later = clock.instant();
        add(byAttribute, longer.stream().filter(f -> !f.expiredAt(later)).toList());
        List<StoredFact> facts = new ArrayList<>(byAttribute.values());
        facts.sort((a, b) -> a.key().attribute().compareTo(b.key().attribute()));
        LogFields.of("tenant", probe.tenant(), "entity", probe.entity(), "count", facts.size())
                .info(LOG, "facts listed");
        return facts;
    }

    private void add(Map<String, StoredFact> byAttribute, List<StoredFact> facts) {
        for (StoredFact fact : facts) {
            if (byAttribute.size() >= limits.maxListSize()) {
                return;
            }
            byAttribute.putIfAbsent(fact.key().attribute(), fact);
        }
    }

    private List<StoredFact> listLonger(FactKey probe, Instant now) {
        Map<String, StoredFact> byAttribute = new LinkedHashMap<>();
        for (Tier tier : List.of(Tier.MEDIUM, Tier.LONG)) {
            add(byAttribute, tiers.get(tier).list(probe.tenant(), probe.entity(), now, limits.maxListSize()));
        }
        return new ArrayList<>(byAttribute.values());
    }

    @Override
    public void delete(String tenant, String entity, String attribute) {
        FactKey key = rules.key(tenant, entity, attribute);
        boolean removed = false;
        for (Tier tier : Tier.values()) {
            removed |= tiers.get(tier).delete(key);
        }
        fields(key).and("removed", removed).info(LOG, "fact delete");
        if (!removed) {
            throw notFound(key);
        }
        evict(key, "fact deleted");
    }

    /** The log fields naming a fact: tenant, entity and attribute. */
    private static LogFields fields(FactKey key) {
        return LogFields.of("tenant", key.tenant(), "entity", key.entity(), "attribute", key.attribute());
    }

    private static KnowledgeRefusal notFound(FactKey key) {
        return KnowledgeRefusal.notFound(
                "fact-not-found", "No fact " + key.entity() + "/" + key.attribute() + " for this tenant.");
    }
}
