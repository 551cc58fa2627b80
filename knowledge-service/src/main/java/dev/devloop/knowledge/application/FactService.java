package dev.devloop.knowledge.application;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.in.DeleteFactUseCase;
import dev.devloop.knowledge.ports.in.GetFactUseCase;
import dev.devloop.knowledge.ports.in.ListFactsUseCase;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.in.StoreFactUseCase;
import dev.devloop.knowledge.ports.out.FactTierPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tiered fact memory: writes go to the tier the TTL selects and remove the key from the other tiers;
 * reads cascade short → medium → long.
 */
public class FactService implements StoreFactUseCase, GetFactUseCase, ListFactsUseCase, DeleteFactUseCase {
  private final Map<Tier, FactTierPort> tiers;
  private final FactRules rules;
  private final FactLimits limits;
  private final Clock clock;

  public FactService(FactTierPort shortTier, FactTierPort mediumTier, FactTierPort longTier, FactLimits limits,
      Clock clock) {
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
    Log.infof("fact stored tenant=%s entity=%s attribute=%s tier=%s", key.tenant(), key.entity(),
        key.attribute(), tier.wireName());
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
      Log.warnf("could not remove an older copy of tenant=%s entity=%s attribute=%s from the %s tier: %s",
          key.tenant(), key.entity(), key.attribute(), tier.wireName(), e.getMessage());
    }
  }

  @Override
  public StoredFact get(String tenant, String entity, String attribute) {
    FactKey key = rules.key(tenant, entity, attribute);
    Instant now = clock.instant();
    TierUnavailableException down = null;
    for (Tier tier : Tier.values()) {
      try {
        Optional<StoredFact> found = tiers.get(tier).find(key, now);
        if (found.isPresent()) {
          Log.infof("fact read tenant=%s entity=%s attribute=%s tier=%s", key.tenant(), key.entity(),
              key.attribute(), tier.wireName());
          return found.get();
        }
      } catch (TierUnavailableException e) {
        down = down == null ? e : down;
      }
    }
    if (down != null) {
      throw down;
    }
    Log.infof("fact not found tenant=%s entity=%s attribute=%s", key.tenant(), key.entity(), key.attribute());
    throw notFound(key);
  }

  @Override
  public List<StoredFact> list(String tenant, String entity) {
    FactKey probe = rules.key(tenant, entity, "-");
    Instant now = clock.instant();
    Map<String, StoredFact> byAttribute = new LinkedHashMap<>();
    for (Tier tier : Tier.values()) {
      for (StoredFact fact : tiers.get(tier).list(probe.tenant(), probe.entity(), now, limits.maxListSize())) {
        if (byAttribute.size() >= limits.maxListSize()) {
          break;
        }
        byAttribute.putIfAbsent(fact.key().attribute(), fact);
      }
    }
    List<StoredFact> facts = new ArrayList<>(byAttribute.values());
    facts.sort((a, b) -> a.key().attribute().compareTo(b.key().attribute()));
    Log.infof("facts listed tenant=%s entity=%s count=%d", probe.tenant(), probe.entity(), facts.size());
    return facts;
  }

  @Override
  public void delete(String tenant, String entity, String attribute) {
    FactKey key = rules.key(tenant, entity, attribute);
    boolean removed = false;
    for (Tier tier : Tier.values()) {
      removed |= tiers.get(tier).delete(key);
    }
    Log.infof("fact delete tenant=%s entity=%s attribute=%s removed=%s", key.tenant(), key.entity(),
        key.attribute(), removed);
    if (!removed) {
      throw notFound(key);
    }
  }

  private static ProblemException notFound(FactKey key) {
    return ProblemException.notFound(
        "fact-not-found", "No fact " + key.entity() + "/" + key.attribute() + " for this tenant.");
  }
}
