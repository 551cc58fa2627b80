package dev.devloop.knowledge.adapters.out.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.knowledge.domain.FactKey;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.domain.Tier;
import dev.devloop.knowledge.ports.out.FactTierPort;
import dev.devloop.knowledge.ports.out.TierUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.KeyScanCursor;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Short-term facts in Redis under {@code kg:{tenant}:{entity}:{attribute}} with the TTL as key
 * expiry. The stored string is {@code {"value":…,"expiresAt":…,"updatedAt":…}}. Entity and attribute
 * are escaped ({@code %}→{@code %25}, {@code :}→{@code %3A}) so two keys can never collide.
 */
@ApplicationScoped
public class RedisFactStore implements FactTierPort {
    static final String STORE = "redis";
    private static final int SCAN_COUNT = 200;

    private final ValueCommands<String, String> values;
    private final KeyCommands<String> keys;
    private final ObjectMapper json;

    public RedisFactStore(RedisDataSource redis, ObjectMapper json) {
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.json = json;
    }

    @Override
    public Tier tier() {
        return Tier.SHORT;
    }

    @Override
    public void save(StoredFact fact) {
        if (fact.expiresAt() == null) {
            throw new IllegalArgumentException("short-term facts always expire");
        }
        long ttl =
                Math.max(1, Duration.between(fact.updatedAt(), fact.expiresAt()).toSeconds());
        String envelope = envelope(fact);
        call(() -> {
            values.setex(key(fact.key()), ttl, envelope);
            return null;
        });
    }

    @Override
    public Optional<StoredFact> find(FactKey key, Instant now) {
        String stored = call(() -> values.get(key(key)));
        return Optional.ofNullable(stored).map(s -> parse(key, s)).filter(f -> !f.expiredAt(now));
    }

    @Override
    public boolean delete(FactKey key) {
        return call(() -> keys.del(key(key))) > 0;
    }

    @Override
    public List<StoredFact> list(String tenant, String entity, Instant now, int limit) {
        String prefix = "kg:" + tenant + ":" + escape(entity) + ":";
        Map<String, String> stored = call(() -> {
            List<String> found = new ArrayList<>();
            KeyScanCursor<String> cursor =
                    keys.scan(new KeyScanArgs().match(glob(prefix) + "*").count(SCAN_COUNT));
            while (cursor.hasNext() && found.size() < limit) {
                for (String k : cursor.next()) {
                    if (found.size() < limit) {
                        found.add(k);
                    }
                }
            }
            return found.isEmpty() ? Map.<String, String>of() : values.mget(found.toArray(String[]::new));
        });
        List<StoredFact> facts = new ArrayList<>();
        for (Map.Entry<String, String> e : stored.entrySet()) {
            if (e.getValue() != null) {
                String attribute = unescape(e.getKey().substring(prefix.length()));
                StoredFact fact = parse(new FactKey(tenant, entity, attribute), e.getValue());
                if (!fact.expiredAt(now)) {
                    facts.add(fact);
                }
            }
        }
        return facts;
    }

    /** The Redis key of a fact, exactly {@code kg:{tenant}:{entity}:{attribute}} with escaped parts. */
    static String key(FactKey key) {
        return "kg:" + key.tenant() + ":" + escape(key.entity()) + ":" + escape(key.attribute());
    }

    static String escape(String part) {
        return part.replace("%", "%25").replace(":", "%3A");
    }

    static String unescape(String part) {
        return part.replace("%3A", ":").replace("%25", "%");
    }

    /** Escapes the characters SCAN MATCH treats as a pattern. */
    static String glob(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private String envelope(StoredFact fact) {
        try {
            ObjectNode node = json.createObjectNode();
            node.set("value", json.readTree(fact.valueJson()));
            node.put("expiresAt", fact.expiresAt().toString());
            node.put("updatedAt", fact.updatedAt().toString());
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fact value is not JSON", e);
        }
    }

    private StoredFact parse(FactKey key, String stored) {
        try {
            JsonNode node = json.readTree(stored);
            return new StoredFact(
                    key,
                    json.writeValueAsString(node.get("value")),
                    Tier.SHORT,
                    Instant.parse(node.get("expiresAt").asText()),
                    Instant.parse(node.get("updatedAt").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("unreadable short-term fact under " + key(key), e);
        }
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            Log.debugf(e, "redis call failed");
            throw new TierUnavailableException(STORE, e);
        }
    }
}
