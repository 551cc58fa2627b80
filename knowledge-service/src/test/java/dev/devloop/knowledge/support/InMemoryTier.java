package dev.devloop.knowledge.support;

import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.out.ExpiredFactsPort;
import dev.devloop.knowledge.ports.out.FactTierPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A fact tier held in a map, which a test can take down. */
public class InMemoryTier implements FactTierPort, ExpiredFactsPort {
    private final Tier tier;
    private final Map<FactKey, StoredFact> facts = new ConcurrentHashMap<>();
    private volatile boolean down;

    public InMemoryTier(Tier tier) {
        this.tier = tier;
    }

    public void down(boolean down) {
        this.down = down;
    }

    public Map<FactKey, StoredFact> contents() {
        return facts;
    }

    private void check() {
        if (down) {
            throw new TierUnavailableException(tier.wireName() + "-store", null);
        }
    }

    @Override
    public Tier tier() {
        return tier;
    }

    @Override
    public void save(StoredFact fact) {
        check();
        facts.put(fact.key(), fact);
    }

    @Override
    public Optional<StoredFact> find(FactKey key, Instant now) {
        check();
        return Optional.ofNullable(facts.get(key)).filter(f -> !f.expiredAt(now));
    }

    @Override
    public boolean delete(FactKey key) {
        check();
        return facts.remove(key) != null;
    }

    @Override
    public List<StoredFact> list(String tenant, String entity, Instant now, int limit) {
        check();
        return facts.values().stream()
                .filter(f -> f.key().tenant().equals(tenant) && f.key().entity().equals(entity) && !f.expiredAt(now))
                .limit(limit)
                .toList();
    }

    @Override
    public int deleteExpired(Instant now, int limit) {
        check();
        List<FactKey> expired = facts.values().stream()
                .filter(f -> f.expiredAt(now))
                .map(StoredFact::key)
                .limit(limit)
                .toList();
        expired.forEach(facts::remove);
        return expired.size();
    }
}
