package dev.devloop.knowledge.application;

import dev.devloop.contracts.PageKeys;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.CacheKey;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.EntityText;
import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.PropertyFilter;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.ports.in.EmbedEntitiesUseCase;
import dev.devloop.knowledge.ports.in.EntityGraphUseCase;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.RelateEntitiesCommand;
import dev.devloop.knowledge.ports.in.UpsertEntityCommand;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.ports.out.EmbeddingPort;
import dev.devloop.knowledge.ports.out.EntityGraphPort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Entities, typed relationships and neighbourhoods in the graph, validated and bounded. */
public class EntityService implements EntityGraphUseCase, EmbedEntitiesUseCase {
    private static final Logger LOG = Logger.getLogger(EntityService.class);

    /** Entity types: a word such as {@code service} or {@code k8s.pod}. */
    static final Pattern ENTITY_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    /** Relationship types follow the Neo4j convention, e.g. {@code DEPENDS_ON}; they are inlined in Cypher. */
    static final Pattern RELATIONSHIP_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private final EntityGraphPort graph;
    private final GraphLimits limits;
    private final Clock clock;
    private final EmbeddingPort embeddings;
    private final ReadCache cache;

    public EntityService(EntityGraphPort graph, GraphLimits limits, Clock clock) {
        this(graph, limits, clock, null, ReadCache.disabled());
    }

    /**
     * With embeddings (entities are embedded from their type, id and properties on every write, for
     * {@link #similar} and {@link #semanticSearch}) and a read cache of details, neighbourhoods and similarity
     * results; every entity or relationship write invalidates the tenant's graph region.
     */
    public EntityService(
            EntityGraphPort graph, GraphLimits limits, Clock clock, EmbeddingPort embeddings, ReadCache cache) {
        this.graph = graph;
        this.limits = limits;
        this.clock = clock;
        this.embeddings = embeddings;
        this.cache = cache;
    }

    @Override
    public Entity upsert(UpsertEntityCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        String id = name("id", command.id());
        String type = type("type", command.type(), ENTITY_TYPE, true);
        String properties = properties(command.propertiesJson());
        Entity entity = graph.upsert(tenant, id, type, properties, clock.instant());
        embed(entity);
        cache.invalidate(tenant, Set.of(CacheRegion.GRAPH), List.of(), "entity upserted");
        LogFields.of("tenant", tenant, "id", id, "type", type).info(LOG, "entity upserted");
        return entity;
    }

    /** Embeds typed entities stored without a vector, stopping at the first backend failure. */
    @Override
    public int embedMissing(int limit) {
        if (embeddings == null) {
            return 0;
        }
        int done = 0;
        Set<String> tenants = new TreeSet<>();
        for (Entity entity : graph.unembedded(limit)) {
            if (!embed(entity)) {
                break;
            }
            tenants.add(entity.tenant());
            done++;
        }
        for (String tenant : tenants) {
            cache.invalidate(tenant, Set.of(CacheRegion.GRAPH), List.of(), "entities embedded");
        }
        if (done > 0) {
            LogFields.of("count", done, "tenants", tenants.size()).info(LOG, "entity embeddings backfilled");
        }
        return done;
    }

    /**
     * Embeds the entity as written; the store keeps the vector only if the entity still has exactly that
     * content, so a concurrent later write never ends up with an older vector. An unavailable embedding
     * backend leaves the entity without a vector (it is then absent from similarity results) and is logged.
     */
    private boolean embed(Entity entity) {
        if (embeddings == null) {
            return false;
        }
        String text = EntityText.of(entity.type(), entity.id(), entity.propertiesJson());
        try {
            List<float[]> vectors = embeddings.embed(entity.tenant(), List.of(text));
            if (vectors.size() != 1) {
                throw new IllegalStateException(
                        "embedding backend returned " + vectors.size() + " vectors for one text");
            }
            graph.embed(entity.tenant(), entity.id(), entity.type(), entity.propertiesJson(), vectors.get(0));
            return true;
        } catch (DependencyUnavailableException e) {
            LogFields.of("tenant", entity.tenant(), "id", entity.id(), "error", e.getMessage())
                    .warn(LOG, "entity left without embedding");
            return false;
        }
    }

    @Override
    public List<ScoredEntity> similar(String tenant, String id, Integer limit) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        String checkedId = name("id", id);
        int count = Inputs.count("limit", limit, limits.defaultSimilarLimit(), limits.maxSimilarLimit());
        requireEmbeddings();
        List<ScoredEntity> found = cache.read(
                        new CacheKey(checkedTenant, CacheRegion.GRAPH, "similar", count + ":" + checkedId),
                        CachedViews.Entities.class,
                        () -> {
                            float[] vector = graph.embedding(checkedTenant, checkedId)
                                    .orElseGet(() -> {
                                        Entity entity = graph.details(checkedTenant, checkedId, 1)
                                                .orElseThrow(() -> entityNotFound(checkedId))
                                                .entity();
                                        return embeddings
                                                .embed(
                                                        checkedTenant,
                                                        List.of(EntityText.of(
                                                                entity.type(), entity.id(), entity.propertiesJson())))
                                                .get(0);
                                    });
                            return new CachedViews.Entities(
                                    graph.nearest(checkedTenant, vector, null, checkedId, count, List.of()));
                        })
                .entities();
        LogFields.of("tenant", checkedTenant, "id", checkedId, "hits", found.size())
                .info(LOG, "similar entities");
        return found;
    }

    @Override
    public List<ScoredEntity> semanticSearch(
            String tenant, String query, String type, Integer limit, Map<String, Object> filters) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        String checkedQuery = Inputs.text("query", query, limits.maxQueryLength(), true);
        String checkedType = type("type", type, ENTITY_TYPE, false);
        int count = Inputs.count("limit", limit, limits.defaultSimilarLimit(), limits.maxSimilarLimit());
        List<PropertyFilter> checkedFilters = propertyFilters(filters);
        requireEmbeddings();
        StringBuilder filterKey = new StringBuilder();
        for (PropertyFilter f : checkedFilters) {
            filterKey.append(f.key()).append('=');
            for (Object v : f.values()) {
                filterKey
                        .append(v.getClass().getSimpleName())
                        .append(':')
                        .append(v)
                        .append('\u0001');
            }
            filterKey.append('\u0002');
        }
        String name = sha256(
                (checkedType == null ? "" : checkedType) + "\n" + count + "\n" + filterKey + "\n" + checkedQuery);
        List<ScoredEntity> found = cache.read(
                        new CacheKey(checkedTenant, CacheRegion.GRAPH, "entity-search", name),
                        CachedViews.Entities.class,
                        () -> {
                            float[] vector = embeddings
                                    .embed(checkedTenant, List.of(checkedQuery))
                                    .get(0);
                            return new CachedViews.Entities(
                                    graph.nearest(checkedTenant, vector, checkedType, null, count, checkedFilters));
                        })
                .entities();
        LogFields.of(
                        "tenant",
                        checkedTenant,
                        "type",
                        checkedType,
                        "limit",
                        count,
                        "filters",
                        checkedFilters.size(),
                        "hits",
                        found.size())
                .info(LOG, "entity semantic search");
        return found;
    }

    /**
     * Property filters, sorted by key: a scalar (equality), {@code {"eq": scalar}} or {@code {"in": [scalar…]}}
     * (1..max-filter-values entries). Scalars are strings (≤ 1024 characters), finite numbers or booleans. Every
     * error is a 400 naming {@code filters.<key>} (or {@code filters.<key>.<operator>}).
     */
    private List<PropertyFilter> propertyFilters(Map<String, Object> filters) {
        if (filters == null || filters.isEmpty()) {
            return List.of();
        }
        if (filters.size() > limits.maxPropertyFilters()) {
            throw KnowledgeRefusal.invalid(
                    "filters", "at most " + limits.maxPropertyFilters() + " filters are allowed");
        }
        List<PropertyFilter> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(filters).entrySet()) {
            String key = e.getKey();
            if (!Inputs.METADATA_KEY.matcher(key).matches()) {
                throw KnowledgeRefusal.invalid(
                        "filters." + key, "filter keys must match " + Inputs.METADATA_KEY.pattern());
            }
            String field = "filters." + key;
            Object value = e.getValue();
            if (value instanceof Map<?, ?> operator) {
                if (operator.size() != 1) {
                    throw KnowledgeRefusal.invalid(field, "a filter object holds exactly one operator: eq or in");
                }
                Map.Entry<?, ?> op = operator.entrySet().iterator().next();
                String name = String.valueOf(op.getKey());
                switch (name) {
                    case "eq" -> out.add(new PropertyFilter(key, List.of(scalar(field + ".eq", op.getValue()))));
                    case "in" -> {
                        if (!(op.getValue() instanceof List<?> list) || list.isEmpty()) {
                            throw KnowledgeRefusal.invalid(field + ".in", "in takes a non-empty list of values");
                        }
                        if (list.size() > limits.maxFilterValues()) {
                            throw KnowledgeRefusal.invalid(
                                    field + ".in", "in takes at most " + limits.maxFilterValues() + " values");
                        }
                        List<Object> values = new ArrayList<>();
                        for (Object v : list) {
                            values.add(scalar(field + ".in", v));
                        }
                        out.add(new PropertyFilter(key, values));
                    }
                    default ->
                        throw KnowledgeRefusal.invalid(
                                field + "." + name, "unknown filter operator " + name + "; use eq or in");
                }
            } else {
                out.add(new PropertyFilter(key, List.of(scalar(field, value))));
            }
        }
        return List.copyOf(out);
    }

    private static Object scalar(String field, Object value) {
        if (value instanceof String s) {
            if (s.length() > 1024) {
                throw KnowledgeRefusal.invalid(field, "value is longer than 1024 characters");
            }
            return s;
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw KnowledgeRefusal.invalid(field, "value must be a string, a finite number or a boolean");
    }

    private void requireEmbeddings() {
        if (embeddings == null) {
            throw new IllegalStateException("entity similarity needs an embedding backend");
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public EntityDetails get(String tenant, String id) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        String checkedId = name("id", id);
        EntityDetails details = cache.read(
                new CacheKey(checkedTenant, CacheRegion.GRAPH, "entity", checkedId),
                EntityDetails.class,
                () -> graph.details(checkedTenant, checkedId, limits.maxRelations())
                        .orElseThrow(() -> entityNotFound(checkedId)));
        LogFields.of(
                        "tenant",
                        checkedTenant,
                        "id",
                        checkedId,
                        "relations",
                        details.relations().size())
                .info(LOG, "entity read");
        return details;
    }

    @Override
    public ListPage<Entity> list(String tenant, String type, Integer limit, String after) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        String checkedType = type("type", type, ENTITY_TYPE, false);
        List<String> key = PageKeys.decode(after, 1);
        int size = limit(limit);
        List<Entity> found = graph.list(checkedTenant, checkedType, size + 1, key == null ? null : key.get(0));
        ListPage<Entity> page = page(found, size, e -> PageKeys.encode(e.id()));
        logPage(checkedTenant, checkedType, page, "entities listed");
        return page;
    }

    /** The first {@code size} of {@code found} (fetched one longer) and, when more follow, the last one's key. */
    private static <T> ListPage<T> page(List<T> found, int size, Function<T, String> key) {
        if (found.size() <= size) {
            return new ListPage<>(found, null);
        }
        List<T> items = found.subList(0, size);
        return new ListPage<>(items, key.apply(items.get(size - 1)));
    }

    @Override
    public Relationship relate(RelateEntitiesCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        String from = name("from", command.from());
        String to = name("to", command.to());
        String type = type("type", command.type(), RELATIONSHIP_TYPE, true);
        String properties = properties(command.propertiesJson());
        List<String> existing = graph.existing(tenant, List.of(from, to));
        List<String> missing = new ArrayList<>();
        if (!existing.contains(from)) {
            missing.add(from);
        }
        if (!existing.contains(to) && !to.equals(from)) {
            missing.add(to);
        }
        if (!missing.isEmpty()) {
            throw entityNotFound(String.join(", ", missing));
        }
        Relationship relationship = graph.relate(tenant, from, to, type, properties);
        cache.invalidate(tenant, Set.of(CacheRegion.GRAPH), List.of(), "relationship upserted");
        LogFields.of("tenant", tenant, "from", from, "type", type, "to", to).info(LOG, "relationship upserted");
        return relationship;
    }

    @Override
    public ListPage<Relationship> relationships(String tenant, String type, Integer limit, String after) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        String checkedType = type("type", type, RELATIONSHIP_TYPE, false);
        List<String> key = PageKeys.decode(after, 3);
        int size = limit(limit);
        ListPage<Relationship> page = page(
                graph.relationships(checkedTenant, checkedType, size + 1, key),
                size,
                r -> PageKeys.encode(r.from(), r.type(), r.to()));
        logPage(checkedTenant, checkedType, page, "relationships listed");
        return page;
    }

    @Override
    public Neighbourhood neighbourhood(String tenant, String id, Integer depth) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        String checkedId = name("id", id);
        int hops = depth == null ? 1 : depth;
        if (hops < 1 || hops > limits.maxDepth()) {
            throw KnowledgeRefusal.invalid("depth", "depth must be between 1 and " + limits.maxDepth());
        }
        Neighbourhood found = cache.read(
                new CacheKey(checkedTenant, CacheRegion.GRAPH, "neighbourhood", hops + ":" + checkedId),
                Neighbourhood.class,
                () -> graph.neighbourhood(checkedTenant, checkedId, hops, limits.maxNeighbourhoodEntities())
                        .orElseThrow(() -> entityNotFound(checkedId)));
        LogFields.of(
                        "tenant",
                        checkedTenant,
                        "id",
                        checkedId,
                        "depth",
                        hops,
                        "entities",
                        found.entities().size())
                .info(LOG, "neighbourhood read");
        return found;
    }

    /** One line per listed page: its tenant, type filter, size and whether more follow. */
    private static void logPage(String tenant, String type, ListPage<?> page, String message) {
        LogFields.of("tenant", tenant, "type", type, "count", page.items().size(), "more", page.nextAfter() != null)
                .info(LOG, message);
    }

    private int limit(Integer limit) {
        int value = limit == null ? limits.defaultListLimit() : limit;
        if (value < 1 || value > limits.maxListLimit()) {
            throw KnowledgeRefusal.invalid("limit", "limit must be between 1 and " + limits.maxListLimit());
        }
        return value;
    }

    private String name(String field, String value) {
        if (value == null || value.isBlank()) {
            throw KnowledgeRefusal.invalid(field, field + " must not be blank");
        }
        if (value.length() > limits.maxIdLength()) {
            throw KnowledgeRefusal.invalid(field, field + " must be at most " + limits.maxIdLength() + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw KnowledgeRefusal.invalid(field, field + " must not contain control characters");
        }
        return value;
    }

    private static String type(String field, String value, Pattern pattern, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw KnowledgeRefusal.invalid(field, field + " is required");
            }
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            throw KnowledgeRefusal.invalid(field, field + " must match " + pattern.pattern());
        }
        return value;
    }

    private String properties(String json) {
        if (json == null) {
            return "{}";
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxPropertiesBytes()) {
            throw KnowledgeRefusal.invalid(
                    "properties",
                    "properties are " + bytes + " bytes as JSON; at most " + limits.maxPropertiesBytes()
                            + " are allowed");
        }
        return json;
    }

    private static KnowledgeRefusal entityNotFound(String ids) {
        return KnowledgeRefusal.notFound("entity-not-found", "No entity " + ids + " for this tenant.");
    }
}
