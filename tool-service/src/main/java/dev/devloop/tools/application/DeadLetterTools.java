package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.out.DeadLetterPort;
import dev.devloop.tools.ports.out.DeadLetterPort.Header;
import dev.devloop.tools.ports.out.DeadLetterPort.Letter;
import dev.devloop.tools.ports.out.DeadLetterPort.Outgoing;
import dev.devloop.tools.ports.out.DownstreamException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * {@code dead_letters} shows a dead-letter topic's backlog; {@code replay_dead_letters} republishes it to the topics the
 * records failed on. What was replayed is the replay group's committed offsets: a replay reads from them up to the end
 * offsets it saw first (records dead-lettered again meanwhile wait for the next call), publishes, waits for every
 * acknowledgement and only then commits. A crash in between replays the same records again, which the consumers absorb:
 * they de-duplicate by CloudEvent id.
 */
public final class DeadLetterTools {
    public static final String DEAD_LETTERS = "dead_letters";
    public static final String REPLAY_DEAD_LETTERS = "replay_dead_letters";
    /** SmallRye Reactive Messaging's Kafka dead-letter queue headers all start with this. */
    static final String DEAD_LETTER_PREFIX = "dead-letter-";

    static final String ORIGINAL_TOPIC = "dead-letter-topic";
    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    public static final String REPLAYED_FROM = "devloop-replayed-from";
    private static final String DLQ_SUFFIX = ".dlq";
    private static final int DEFAULT_MAX = 100;
    private static final int MAX_LISTED_SKIPS = 20;
    private static final Logger LOG = Logger.getLogger(DeadLetterTools.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeadLetterPort broker;
    private final DeadLetterSettings settings;
    private final Map<String, ReentrantLock> replaying = new ConcurrentHashMap<>();

    public DeadLetterTools(DeadLetterPort broker, DeadLetterSettings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    public List<ToolExecutor> executors() {
        return List.of(executor(DEAD_LETTERS, this::deadLetters), executor(REPLAY_DEAD_LETTERS, this::replay));
    }

    private JsonNode deadLetters(ToolCall call) {
        String topic = allowedTopic(call);
        try {
            Map<Integer, Long> end = broker.endOffsets(topic);
            Map<Integer, Long> from = broker.positions(topic, settings.group());
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("topic", topic);
            out.put("group", settings.group());
            ArrayNode partitions = out.putArray("partitions");
            long backlog = 0;
            for (Map.Entry<Integer, Long> p : new TreeMap<>(end).entrySet()) {
                long committed = from.getOrDefault(p.getKey(), 0L);
                long left = Math.max(0, p.getValue() - committed);
                backlog += left;
                partitions
                        .addObject()
                        .put("partition", p.getKey())
                        .put("position", committed)
                        .put("endOffset", p.getValue())
                        .put("backlog", left);
            }
            out.put("backlog", backlog);
            boolean operator = isOperator(call);
            ArrayNode samples = out.putArray("samples");
            int hidden = 0;
            if (backlog > 0) {
                for (Letter letter : broker.read(
                        topic, from, end, settings.samples(), settings.maxBytes(), settings.readTimeLimitMs())) {
                    String tenant = tenantOf(letter.value());
                    // a dead-letter topic holds every tenant's records: only operators see other tenants' samples
                    if (!operator && !call.tenant().equals(tenant)) {
                        hidden++;
                        continue;
                    }
                    samples.add(sample(letter, tenant));
                }
            }
            if (hidden > 0) {
                out.put("samplesOfOtherTenants", hidden);
            }
            return out;
        } catch (DownstreamException e) {
            throw new ToolFailure("reading " + topic + " failed: " + e.getMessage());
        }
    }

    private ObjectNode sample(Letter letter, String tenant) {
        ObjectNode s = JsonNodeFactory.instance
                .objectNode()
                .put("partition", letter.partition())
                .put("offset", letter.offset())
                .put("key", letter.key() == null ? null : text(letter.key(), settings.previewChars()))
                .put("reason", header(letter, REASON))
                .put("originalTopic", header(letter, ORIGINAL_TOPIC))
                .put("tenant", tenant);
        String cause = header(letter, CAUSE);
        if (cause != null) {
            s.put("cause", cut(cause, settings.previewChars()));
        }
        s.put("preview", letter.value() == null ? null : text(letter.value(), settings.previewChars()));
        return s;
    }

    private JsonNode replay(ToolCall call) {
        String topic = allowedTopic(call);
        requireOperator(call);
        int max = call.arguments().path("max").asInt(DEFAULT_MAX);
        String reason = call.arguments().path("reason").asText();
        ReentrantLock lock = replaying.computeIfAbsent(topic, t -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new ToolFailure("a replay of " + topic + " is already running in this tool-service; try again later");
        }
        try {
            LogFields.of("tenant", call.tenant(), "topic", topic, "max", max, "agentId", call.agentId())
                    .and("reason", reason)
                    .warn(LOG, "dead-letter replay requested");
            return replay(topic, max);
        } catch (DownstreamException e) {
            throw new ToolFailure("replaying " + topic + " failed, nothing was committed (a retry replays the same"
                    + " records; consumers de-duplicate by event id): " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private JsonNode replay(String topic, int max) {
        Map<Integer, Long> snapshot = broker.endOffsets(topic);
        Map<Integer, Long> from = broker.positions(topic, settings.group());
        List<Letter> letters = broker.read(topic, from, snapshot, max, settings.maxBytes(), settings.readTimeLimitMs());
        String expectedOriginal =
                topic.endsWith(DLQ_SUFFIX) ? topic.substring(0, topic.length() - DLQ_SUFFIX.length()) : null;
        List<Outgoing> outgoing = new ArrayList<>();
        Map<Integer, Long> next = new TreeMap<>();
        Map<Integer, int[]> counts = new TreeMap<>(); // partition → {replayed, skipped}
        ArrayNode skips = JsonNodeFactory.instance.arrayNode();
        int skipped = 0;
        for (Letter letter : letters) {
            next.put(letter.partition(), letter.offset() + 1);
            int[] c = counts.computeIfAbsent(letter.partition(), p -> new int[2]);
            String original = header(letter, ORIGINAL_TOPIC);
            String why = original == null || original.isBlank()
                    ? "no " + ORIGINAL_TOPIC + " header"
                    : expectedOriginal != null && !expectedOriginal.equals(original)
                            ? "names " + original + ", not " + expectedOriginal
                            : null;
            if (why != null) {
                c[1]++;
                skipped++;
                if (skips.size() < MAX_LISTED_SKIPS) {
                    skips.addObject()
                            .put("partition", letter.partition())
                            .put("offset", letter.offset())
                            .put("why", why);
                }
                continue;
            }
            c[0]++;
            outgoing.add(new Outgoing(original, letter.key(), letter.value(), replayHeaders(topic, letter)));
        }
        if (!outgoing.isEmpty()) {
            broker.publish(outgoing, settings.ackTimeoutMs());
        }
        if (!next.isEmpty()) {
            broker.commit(topic, settings.group(), next);
        }
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("topic", topic)
                .put("group", settings.group())
                .put("replayed", outgoing.size())
                .put("skipped", skipped);
        long remaining = 0;
        ArrayNode partitions = JsonNodeFactory.instance.arrayNode();
        for (Map.Entry<Integer, Long> p : new TreeMap<>(snapshot).entrySet()) {
            int partition = p.getKey();
            long start = from.getOrDefault(partition, 0L);
            long position = next.getOrDefault(partition, start);
            long left = Math.max(0, p.getValue() - position);
            remaining += left;
            int[] c = counts.getOrDefault(partition, new int[2]);
            partitions
                    .addObject()
                    .put("partition", partition)
                    .put("from", start)
                    .put("to", position)
                    .put("snapshotEnd", p.getValue())
                    .put("replayed", c[0])
                    .put("skipped", c[1])
                    .put("remaining", left);
        }
        out.put("remaining", remaining);
        out.set("partitions", partitions);
        if (!skips.isEmpty()) {
            out.set("skippedRecords", skips);
        }
        LogFields.of("topic", topic, "replayed", out.get("replayed"), "skipped", out.get("skipped"))
                .and("remaining", out.get("remaining"))
                .info(LOG, "dead-letter replay done");
        return out;
    }

    /** The record's own headers without SmallRye's dead-letter ones, plus where the replay took it from. */
    private static List<Header> replayHeaders(String topic, Letter letter) {
        List<Header> headers = new ArrayList<>();
        for (Header h : letter.headers()) {
            if (!h.key().startsWith(DEAD_LETTER_PREFIX) && !h.key().equals(REPLAYED_FROM)) {
                headers.add(h);
            }
        }
        headers.add(new Header(
                REPLAYED_FROM,
                (topic + "/" + letter.partition() + "/" + letter.offset()).getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private String allowedTopic(ToolCall call) {
        String topic = call.arguments().path("topic").asText();
        if (!settings.topics().contains(topic)) {
            throw ToolProblems.denied(
                    "deadLetterAllowList",
                    "topic",
                    "'" + topic + "' is not a dead-letter topic these tools may read "
                            + new TreeSet<>(settings.topics()));
        }
        return topic;
    }

    private boolean isOperator(ToolCall call) {
        return settings.operatorTenants().contains(call.tenant());
    }

    private void requireOperator(ToolCall call) {
        if (!isOperator(call)) {
            throw ToolProblems.denied(
                    "operatorTenants",
                    "topic",
                    "tenant '" + call.tenant() + "' may not replay a dead-letter topic (it holds every tenant's"
                            + " records); only operator tenants may");
        }
    }

    /** The last value of header {@code key} as UTF-8, or null. */
    static String header(Letter letter, String key) {
        String value = null;
        for (Header h : letter.headers()) {
            if (h.key().equals(key) && h.value() != null) {
                value = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    /** The CloudEvent's {@code tenant} attribute when the value is a JSON object, else null. */
    static String tenantOf(byte[] value) {
        if (value == null || value.length == 0 || value[0] != '{') {
            return null;
        }
        try {
            JsonNode tenant = JSON.readTree(value).get("tenant");
            return tenant != null && tenant.isTextual() ? tenant.textValue() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(byte[] bytes, int maxChars) {
        // decode at most a few bytes per char past the limit: a huge payload is never decoded whole
        int take = (int) Math.min(bytes.length, (long) maxChars * 4 + 4);
        return cut(new String(bytes, 0, take, StandardCharsets.UTF_8), maxChars);
    }

    private static String cut(String s, int maxChars) {
        return s.length() <= maxChars ? s : s.substring(0, maxChars) + "…";
    }

    private static ToolExecutor executor(String name, Function<ToolCall, JsonNode> body) {
        return ToolExecutor.of(name, ToolKind.NATIVE, body);
    }
}
