package dev.devloop.tools.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.ActivityRecord;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.ToolDefinition;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.out.ActivityPort;
import dev.devloop.tools.ports.out.AuditPort;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.EventPublisherPort;
import dev.devloop.tools.ports.out.InvocationEventsPort;
import dev.devloop.tools.ports.out.InvocationLedgerPort;
import dev.devloop.tools.ports.out.KnowledgePort;
import dev.devloop.tools.ports.out.LedgerEntry;
import dev.devloop.tools.ports.out.NetworkPort;
import dev.devloop.tools.ports.out.RestartLedgerPort;
import dev.devloop.tools.ports.out.RunBudgetPort;
import dev.devloop.tools.ports.out.ShippedToolsPort;
import dev.devloop.tools.ports.out.ToolRegistryPort;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Hand-written in-memory implementations of every outbound port, for use-case tests without servers. */
public final class InMemoryPorts {

    /** Registry keyed by scope/id, like the MongoDB adapter. */
    public static final class Registry implements ToolRegistryPort {
        public final Map<String, ToolDefinition> tools = new ConcurrentHashMap<>();

        @Override
        public Optional<ToolDefinition> find(String tenant, String id) {
            ToolDefinition shipped = tools.get(ToolDefinition.SHIPPED + "/" + id);
            return shipped != null ? Optional.of(shipped) : Optional.ofNullable(tools.get(tenant + "/" + id));
        }

        @Override
        public List<ToolDefinition> listEnabled(String tenant) {
            return tools.values().stream()
                    .filter(t -> t.enabled() && (t.shipped() || t.scope().equals(tenant)))
                    .toList();
        }

        @Override
        public void save(ToolDefinition tool) {
            tools.put(tool.scope() + "/" + tool.id(), tool);
        }

        @Override
        public long countOwned(String tenant) {
            return tools.values().stream().filter(t -> t.scope().equals(tenant)).count();
        }
    }

    /** Ledger whose claim is atomic, as the unique index makes the MongoDB one. */
    public static final class Ledger implements InvocationLedgerPort {
        private final Map<String, LedgerEntry> entries = new HashMap<>();

        private static String key(String tenant, String runId, String key) {
            return tenant + "|" + runId + "|" + key;
        }

        @Override
        public synchronized Optional<LedgerEntry> claim(
                String tenant,
                String runId,
                String key,
                String toolId,
                String invocationId,
                Instant now,
                Instant leaseUntil) {
            LedgerEntry existing = entries.get(key(tenant, runId, key));
            if (existing != null) {
                return Optional.of(existing);
            }
            entries.put(
                    key(tenant, runId, key),
                    new LedgerEntry(invocationId, toolId, now, invocationId, leaseUntil, null));
            return Optional.empty();
        }

        @Override
        public synchronized Optional<LedgerEntry> load(String tenant, String runId, String key) {
            return Optional.ofNullable(entries.get(key(tenant, runId, key)));
        }

        @Override
        public synchronized boolean renew(String tenant, String runId, String key, String holder, Instant leaseUntil) {
            LedgerEntry e = entries.get(key(tenant, runId, key));
            if (e == null || e.done() || !holder.equals(e.holder())) {
                return false;
            }
            entries.put(
                    key(tenant, runId, key),
                    new LedgerEntry(e.invocationId(), e.toolId(), e.claimedAt(), holder, leaseUntil, null));
            return true;
        }

        @Override
        public synchronized boolean takeOver(
                String tenant,
                String runId,
                String key,
                LedgerEntry seen,
                String invocationId,
                Instant now,
                Instant leaseUntil) {
            LedgerEntry e = entries.get(key(tenant, runId, key));
            if (e == null || !e.equals(seen) || e.done()) {
                return false;
            }
            entries.put(
                    key(tenant, runId, key),
                    new LedgerEntry(e.invocationId(), e.toolId(), now, invocationId, leaseUntil, null));
            return true;
        }

        @Override
        public synchronized void complete(String tenant, String runId, String key, InvocationResult result) {
            LedgerEntry e = entries.get(key(tenant, runId, key));
            if (e != null && !e.done()) {
                entries.put(
                        key(tenant, runId, key),
                        new LedgerEntry(e.invocationId(), e.toolId(), e.claimedAt(), e.holder(), null, result));
            }
        }

        @Override
        public synchronized void release(String tenant, String runId, String key, String holder) {
            LedgerEntry e = entries.get(key(tenant, runId, key));
            if (e != null && !e.done() && holder.equals(e.holder())) {
                entries.remove(key(tenant, runId, key));
            }
        }
    }

    /** Per-run counters. */
    public static final class Budget implements RunBudgetPort {
        private final Map<String, Long> calls = new HashMap<>();

        @Override
        public synchronized long increment(String tenant, String runId, String toolId) {
            return calls.merge(tenant + "|" + runId + "|" + toolId, 1L, Long::sum);
        }

        @Override
        public synchronized void refund(String tenant, String runId, String toolId) {
            calls.computeIfPresent(tenant + "|" + runId + "|" + toolId, (k, n) -> Math.max(0, n - 1));
        }
    }

    /** Audit log and event stream in one: both must see every attempt. */
    public static final class Audit implements AuditPort, InvocationEventsPort {
        public final List<AuditEntry> recorded = Collections.synchronizedList(new ArrayList<>());
        public final List<AuditEntry> published = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void record(AuditEntry entry) {
            recorded.add(entry);
        }

        @Override
        public void invoked(AuditEntry entry) {
            published.add(entry);
        }
    }

    /**
     * Knowledge-service stand-in with its tier rule (below 60 s short, below a day medium, else long);
     * {@link #down} makes every call fail as the adapter reports an unreachable knowledge-service: an outage.
     */
    public static class Knowledge implements KnowledgePort {
        public final Map<String, ObjectNode> facts = new ConcurrentHashMap<>();
        public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        public volatile boolean down;

        @Override
        public JsonNode storeFact(String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds) {
            calls.add("PUT " + tenant + " " + entity + "/" + attribute);
            if (down) {
                throw knowledgeUnreachable();
            }
            String tier =
                    ttlSeconds == null ? "long" : ttlSeconds < 60 ? "short" : ttlSeconds < 86_400 ? "medium" : "long";
            ObjectNode fact = JsonNodeFactory.instance
                    .objectNode()
                    .put("tenant", tenant)
                    .put("entity", entity)
                    .put("attribute", attribute)
                    .put("tier", tier);
            fact.set("value", value);
            facts.put(tenant + "|" + entity + "|" + attribute, fact);
            return fact;
        }

        @Override
        public Optional<JsonNode> retrieveFact(String tenant, String entity, String attribute) {
            calls.add("GET " + tenant + " " + entity + "/" + attribute);
            if (down) {
                throw knowledgeUnreachable();
            }
            return Optional.ofNullable(facts.get(tenant + "|" + entity + "|" + attribute));
        }

        // the graph and search are exercised against the real knowledge-service (KnowledgeToolsTest)
        @Override
        public Optional<JsonNode> entity(String tenant, String id) {
            throw new UnsupportedOperationException("use the real knowledge-service");
        }

        @Override
        public Optional<JsonNode> neighbourhood(String tenant, String id, int depth) {
            throw new UnsupportedOperationException("use the real knowledge-service");
        }

        @Override
        public JsonNode entities(String tenant, String type, int limit) {
            throw new UnsupportedOperationException("use the real knowledge-service");
        }

        @Override
        public JsonNode relationships(String tenant, String type, int limit) {
            throw new UnsupportedOperationException("use the real knowledge-service");
        }

        @Override
        public JsonNode search(String tenant, SearchQuery query) {
            throw new UnsupportedOperationException("use the real knowledge-service");
        }

        // the roadmap is served by the Roadmap stand-in below
        @Override
        public Optional<JsonNode> roadmapNode(String tenant, String id) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public Optional<JsonNode> roadmapTree(String tenant, String id, int depth) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public Optional<JsonNode> roadmapProgress(String tenant, String id) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public JsonNode roadmapReady(String tenant, String level, String under, int limit) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public JsonNode roadmapOrder(String tenant, String level, String under) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public Optional<JsonNode> roadmapCriticalPath(String tenant, String milestoneId) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public Optional<String> roadmapReleaseNotes(String tenant, String milestoneId) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public Optional<String> roadmapChangelog(String tenant, String featureId) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public JsonNode createRoadmapNode(String tenant, JsonNode node) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }

        @Override
        public JsonNode updateRoadmapNode(String tenant, String id, JsonNode patch) {
            throw new UnsupportedOperationException("use InMemoryPorts.Roadmap");
        }
    }

    /**
     * knowledge-service's roadmap API as the tools call it: every call is recorded as {@code METHOD path body}
     * in {@link #roadmapCalls}; nodes live in {@link #roadmap} (by tenant|id); {@link #refusal} answers the
     * next write as knowledge-service's adapter reports a 4xx problem.
     */
    public static final class Roadmap extends Knowledge {
        public final Map<String, ObjectNode> roadmap = new ConcurrentHashMap<>();
        public final List<String> roadmapCalls = Collections.synchronizedList(new ArrayList<>());
        public volatile String refusal;
        public JsonNode list = JsonNodeFactory.instance.arrayNode();

        public ObjectNode seed(String tenant, String id, String level, String status) {
            ObjectNode node = JsonNodeFactory.instance
                    .objectNode()
                    .put("tenant", tenant)
                    .put("id", id)
                    .put("level", level)
                    .put("status", status)
                    .put("version", 1);
            roadmap.put(tenant + "|" + id, node);
            return node;
        }

        private Optional<JsonNode> lookup(String call, String tenant, String id) {
            roadmapCalls.add(call);
            checkUp();
            return Optional.ofNullable(roadmap.get(tenant + "|" + id));
        }

        private void checkUp() {
            if (down) {
                throw knowledgeUnreachable();
            }
        }

        private void checkRefusal() {
            String r = refusal;
            if (r != null) {
                refusal = null;
                throw new DownstreamException(r);
            }
        }

        @Override
        public Optional<JsonNode> roadmapNode(String tenant, String id) {
            return lookup("GET /roadmap/nodes/" + id, tenant, id);
        }

        @Override
        public Optional<JsonNode> roadmapTree(String tenant, String id, int depth) {
            return lookup("GET /roadmap/nodes/" + id + "/tree?depth=" + depth, tenant, id);
        }

        @Override
        public Optional<JsonNode> roadmapProgress(String tenant, String id) {
            return lookup("GET /roadmap/nodes/" + id + "/progress", tenant, id).map(n -> JsonNodeFactory.instance
                    .objectNode()
                    .put("id", id)
                    .put("progress", 0.5)
                    .put("tasks", 2)
                    .put("done", 1));
        }

        @Override
        public JsonNode roadmapReady(String tenant, String level, String under, int limit) {
            roadmapCalls.add("GET /roadmap/ready?level=" + level + "&under=" + under + "&limit=" + limit);
            checkUp();
            return list;
        }

        @Override
        public JsonNode roadmapOrder(String tenant, String level, String under) {
            roadmapCalls.add("GET /roadmap/order?level=" + level + "&under=" + under);
            checkUp();
            return list;
        }

        @Override
        public Optional<JsonNode> roadmapCriticalPath(String tenant, String milestoneId) {
            return lookup("GET /roadmap/milestones/" + milestoneId + "/critical-path", tenant, milestoneId)
                    .map(n -> JsonNodeFactory.instance
                            .objectNode()
                            .put("milestone", milestoneId)
                            .put("length", 0));
        }

        @Override
        public Optional<String> roadmapReleaseNotes(String tenant, String milestoneId) {
            return lookup("GET /roadmap/milestones/" + milestoneId + "/release-notes", tenant, milestoneId)
                    .map(n -> "## [" + milestoneId + "]\n");
        }

        @Override
        public Optional<String> roadmapChangelog(String tenant, String featureId) {
            return lookup("GET /roadmap/features/" + featureId + "/changelog", tenant, featureId)
                    .map(n -> "### Added\n- " + featureId + "\n");
        }

        @Override
        public JsonNode createRoadmapNode(String tenant, JsonNode node) {
            roadmapCalls.add("POST /roadmap/nodes " + node);
            checkUp();
            checkRefusal();
            ObjectNode created = node.deepCopy();
            created.put("tenant", tenant).put("status", "planned").put("version", 1);
            roadmap.put(tenant + "|" + node.path("id").asText(), created);
            return created;
        }

        @Override
        public JsonNode updateRoadmapNode(String tenant, String id, JsonNode patch) {
            roadmapCalls.add("PATCH /roadmap/nodes/" + id + " " + patch);
            checkUp();
            checkRefusal();
            ObjectNode node = roadmap.get(tenant + "|" + id);
            if (node == null) {
                throw new DownstreamException(
                        "knowledge-service refused the call (404 roadmap-node-not-found): no node " + id);
            }
            patch.fields().forEachRemaining(f -> {
                if (!"links".equals(f.getKey())) {
                    node.set(f.getKey(), f.getValue());
                }
            });
            if (patch.has("links")) {
                ObjectNode links = node.has("links") ? (ObjectNode) node.get("links") : node.putObject("links");
                ArrayNode runs = links.has("runs") ? (ArrayNode) links.get("runs") : links.putArray("runs");
                patch.path("links").path("runs").forEach(r -> {
                    if (!runs.toString().contains(r.toString())) {
                        runs.add(r);
                    }
                });
            }
            node.put("version", node.path("version").asLong() + 1);
            return node;
        }
    }

    /** Activity lines. */
    public static final class Activity implements ActivityPort {
        public final Map<String, ActivityRecord> records = new ConcurrentHashMap<>();

        @Override
        public String save(ActivityRecord record) {
            String id = UUID.randomUUID().toString();
            records.put(id, record);
            return id;
        }
    }

    /**
     * A scripted network: names resolve as told (a name given several answers with {@link #rebinding} answers
     * them in turn, the last one sticking, as a rebinding DNS server would), lookups and probes are recorded, and
     * HTTP answers are given by URL.
     */
    public static final class Network implements NetworkPort {
        public final Map<String, List<List<InetAddress>>> dns = new HashMap<>();
        public final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
        public final List<String> probes = Collections.synchronizedList(new ArrayList<>());
        public final Map<String, HttpAnswer> answers = new HashMap<>();

        public Network host(String name, String... addresses) {
            dns.put(name, new ArrayList<>(List.of(addresses(addresses))));
            return this;
        }

        /** {@code name} resolves to {@code first} on the first lookup, to {@code then} on every later one. */
        public Network rebinding(String name, String first, String then) {
            dns.put(name, new ArrayList<>(List.of(addresses(first), addresses(then))));
            return this;
        }

        private static List<InetAddress> addresses(String... addresses) {
            List<InetAddress> resolved = new ArrayList<>();
            for (String a : addresses) {
                try {
                    resolved.add(InetAddress.getByName(a));
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalArgumentException(a, e);
                }
            }
            return resolved;
        }

        @Override
        public synchronized List<InetAddress> resolve(String host) {
            lookups.add(host);
            List<List<InetAddress>> found = dns.get(host);
            if (found == null) {
                throw new DownstreamException("'" + host + "' does not resolve");
            }
            return found.size() > 1 ? found.remove(0) : found.get(0);
        }

        @Override
        public void connect(InetAddress address, int port, long timeoutMs) {
            probes.add("tcp " + address.getHostAddress() + ":" + port);
        }

        @Override
        public HttpAnswer get(PinnedUrl url, long timeoutMs, int maxBodyBytes) {
            probes.add("GET " + url.uri() + " @" + url.address().getHostAddress());
            HttpAnswer answer = answers.get(url.uri().toString());
            if (answer == null) {
                throw new DownstreamException("HTTP GET " + url.uri() + " failed: ConnectException");
            }
            return answer;
        }
    }

    /** Events published by publish_event. */
    public static final class Publisher implements EventPublisherPort {
        public final List<String> published = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String publish(String topic, String key, String tenant, String type, String subject, JsonNode data) {
            published.add(topic + " " + key + " " + tenant + " " + type + " " + data);
            return UUID.randomUUID().toString();
        }
    }

    /** A fixed shipped set. */
    public record Shipped(List<ToolDefinition> tools) implements ShippedToolsPort {
        @Override
        public List<ToolDefinition> shippedTools() {
            return tools;
        }
    }

    private InMemoryPorts() {}

    /** Restart times per service, with the port's contract (the Mongo ledger is tested over HTTP in AgentAndSystemToolsTest). */
    public static final class RestartLedger implements RestartLedgerPort {
        public final Map<String, Instant> last = new ConcurrentHashMap<>();

        @Override
        public synchronized Optional<Instant> acquire(
                String service, String tenant, String reason, Instant now, Duration cooldown) {
            Instant before = last.get(service);
            if (before != null && before.isAfter(now.minus(cooldown))) {
                return Optional.of(before);
            }
            last.put(service, now);
            return Optional.empty();
        }
    }

    /** What the knowledge-service adapter throws when the connection is refused. */
    static DependencyUnavailableException knowledgeUnreachable() {
        return new DependencyUnavailableException(
                "knowledge-service",
                "knowledge-service unreachable (ProcessingException)",
                new java.net.ConnectException("Connection refused"));
    }
}
