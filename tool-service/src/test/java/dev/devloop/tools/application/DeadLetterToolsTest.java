package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.jsonschema.NetworkntArgumentSchemas;
import dev.devloop.tools.adapters.out.kafka.KafkaDeadLetters;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.out.DeadLetterPort;
import dev.devloop.tools.ports.out.DependencyOutages;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Refusals;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dead_letters and replay_dead_letters through the invoke use case, against the real Kafka on 127.0.0.1:9092 with
 * dead-letter records shaped as SmallRye's dead-letter queue writes them; every test has its own topics.
 */
class DeadLetterToolsTest {
    private static final String BOOTSTRAP = "127.0.0.1:9092";
    private static final String OPERATOR = "ops";
    private static final String GROUP = "devloop-dlq-replay";
    private static KafkaProducer<String, String> producer;
    private static Admin admin;

    private final ExecutorService pool = Executors.newCachedThreadPool();
    // the shape of Quarkus' default-kafka-broker map here: bootstrap servers and the application name as group.id
    private final KafkaDeadLetters kafka =
            new KafkaDeadLetters(Map.of("bootstrap.servers", BOOTSTRAP, "group.id", "tool-service"));
    private String original;
    private String dlq;

    @BeforeAll
    static void clients() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        admin = Admin.create(a);
    }

    @AfterAll
    static void closeClients() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    @BeforeEach
    void topics() throws Exception {
        original = "devloop.test.dlq-" + UUID.randomUUID().toString().substring(0, 8);
        dlq = original + ".dlq";
        admin.createTopics(List.of(new NewTopic(original, 1, (short) 1), new NewTopic(dlq, 2, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        kafka.close();
    }

    private InvokeToolService service(DeadLetterPort port) {
        InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
        InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
        Fixtures.shippedTools().forEach(registry::save);
        DeadLetterSettings settings =
                new DeadLetterSettings(Set.of(dlq), Set.of(OPERATOR), GROUP, 1_048_576, 10_000, 10_000, 10, 200);
        return new InvokeToolService(
                registry,
                new ToolExecutors(new DeadLetterTools(port, settings).executors()),
                new NetworkntArgumentSchemas(16),
                new InMemoryPorts.Ledger(),
                new InMemoryPorts.Budget(),
                audit,
                audit,
                pool,
                Fixtures.settings(),
                Clock.systemUTC(),
                null,
                QuotaSettings.unlimited(),
                ToolMetricsPort.NONE,
                DependencyOutages.NONE);
    }

    private InvocationResult call(InvokeToolService service, String tenant, String tool, String args, String type) {
        return service.invoke(
                new InvokeToolCommand(tenant, tool, json(args), type, "a-1", "run-" + UUID.randomUUID(), null));
    }

    private JsonNode replay(InvokeToolService service, Integer max) {
        String args = "{\"topic\":\"" + dlq + "\",\"reason\":\"the cause is fixed\""
                + (max == null ? "" : ",\"max\":" + max) + "}";
        InvocationResult result = call(service, OPERATOR, "replay_dead_letters", args, "repair");
        assertThat(result.status()).as(String.valueOf(result.error())).isEqualTo(InvocationResult.SUCCEEDED);
        return result.output();
    }

    private JsonNode deadLetters(InvokeToolService service, String tenant) {
        InvocationResult result = call(service, tenant, "dead_letters", "{\"topic\":\"" + dlq + "\"}", "diagnostic");
        assertThat(result.status()).as(String.valueOf(result.error())).isEqualTo(InvocationResult.SUCCEEDED);
        return result.output();
    }

    /** A record as SmallRye's dead-letter queue writes it: the original's key, value and headers plus its own. */
    private void deadLetter(int partition, String key, String value, String originalTopic) throws Exception {
        ProducerRecord<String, String> r = new ProducerRecord<>(dlq, partition, key, value);
        r.headers().add("ce_traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        if (originalTopic != null) {
            r.headers().add("dead-letter-topic", originalTopic.getBytes(StandardCharsets.UTF_8));
        }
        r.headers().add("dead-letter-reason", "no agent type 'triage'".getBytes(StandardCharsets.UTF_8));
        r.headers().add("dead-letter-cause", "UnknownAgentType".getBytes(StandardCharsets.UTF_8));
        r.headers().add("dead-letter-partition", "0".getBytes(StandardCharsets.UTF_8));
        r.headers().add("dead-letter-offset", "7".getBytes(StandardCharsets.UTF_8));
        producer.send(r).get(10, TimeUnit.SECONDS);
    }

    private static String event(String id, String tenant) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"dev.devloop.agent.task\",\"tenant\":\""
                + tenant + "\",\"data\":{\"task\":\"" + "x".repeat(300) + "\"}}";
    }

    /**
     * Every record now on {@code topic}: read up to the end offsets of the moment of the call. A replay returns only
     * once Kafka acknowledged each record it wrote, so what it wrote is there, and anything extra would be too.
     */
    private static List<ConsumerRecord<String, String>> records(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to " + end);
                }
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<String, String> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void replaysRecordsToTheirOriginalTopicOnceAndSkipsThoseWithoutTheHeader() throws Exception {
        InvokeToolService service = service(kafka);
        deadLetter(0, "agent-1", event("e-1", "acme"), original);
        deadLetter(1, "agent-2", event("e-2", "acme"), original);
        deadLetter(0, "agent-3", "not json", null);
        deadLetter(0, "agent-4", event("e-4", "globex"), original);

        JsonNode first = replay(service, null);
        assertThat(first.path("replayed").asInt()).isEqualTo(3);
        assertThat(first.path("skipped").asInt()).isEqualTo(1);
        assertThat(first.path("remaining").asInt()).isZero();
        assertThat(first.path("skippedRecords").get(0).path("offset").asLong()).isEqualTo(1);
        assertThat(first.path("skippedRecords").get(0).path("why").asText()).contains("no dead-letter-topic header");
        assertThat(first.path("partitions")).hasSize(2);

        List<ConsumerRecord<String, String>> replayed = records(original);
        assertThat(replayed).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("agent-1", "agent-2", "agent-4");
        ConsumerRecord<String, String> one = replayed.stream()
                .filter(r -> r.key().equals("agent-1"))
                .findFirst()
                .orElseThrow();
        assertThat(one.value()).isEqualTo(event("e-1", "acme"));
        assertThat(header(one, "ce_traceparent")).isEqualTo("00-abc-def-01");
        assertThat(header(one, "devloop-replayed-from")).isEqualTo(dlq + "/0/0");
        assertThat(one.headers().toArray()).extracting(Header::key).noneMatch(k -> k.startsWith("dead-letter-"));

        // the replay group's committed offsets are past everything read, skipped records included
        assertThat(kafka.positions(dlq, GROUP)).isEqualTo(Map.of(0, 3L, 1, 1L));

        JsonNode second = replay(service, null);
        assertThat(second.path("replayed").asInt()).isZero();
        assertThat(second.path("skipped").asInt()).isZero();
        assertThat(records(original)).hasSize(3);
        assertThat(deadLetters(service, OPERATOR).path("backlog").asInt()).isZero();
    }

    @Test
    void maxBoundsOneReplayAndTheRestWaitsForTheNextCall() throws Exception {
        InvokeToolService service = service(kafka);
        for (int i = 0; i < 5; i++) {
            deadLetter(0, "k-" + i, event("e-" + i, "acme"), original);
        }
        JsonNode first = replay(service, 2);
        assertThat(first.path("replayed").asInt()).isEqualTo(2);
        assertThat(first.path("remaining").asInt()).isEqualTo(3);
        assertThat(records(original)).extracting(ConsumerRecord::key).containsExactly("k-0", "k-1");
        assertThat(deadLetters(service, OPERATOR).path("backlog").asInt()).isEqualTo(3);

        JsonNode rest = replay(service, 10);
        assertThat(rest.path("replayed").asInt()).isEqualTo(3);
        assertThat(rest.path("remaining").asInt()).isZero();
        assertThat(records(original))
                .extracting(ConsumerRecord::key)
                .containsExactly("k-0", "k-1", "k-2", "k-3", "k-4");
        assertThat(kafka.positions(dlq, GROUP).get(0)).isEqualTo(5L);
    }

    @Test
    void recordsDeadLetteredAfterTheSnapshotWaitForTheNextCall() throws Exception {
        deadLetter(0, "before-1", event("b-1", "acme"), original);
        deadLetter(0, "before-2", event("b-2", "acme"), original);
        // a record that fails again while the replay runs: it lands after the end offsets the replay started from
        DeadLetterPort failingAgainDuringTheReplay = new DelegatingPort(kafka) {
            @Override
            public List<Letter> read(
                    String topic, Map<Integer, Long> from, Map<Integer, Long> until, int max, long bytes, long ms) {
                try {
                    deadLetter(0, "during", event("d-1", "acme"), original);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return super.read(topic, from, until, max, bytes, ms);
            }
        };
        InvokeToolService service = service(failingAgainDuringTheReplay);
        JsonNode out = replay(service, 100);
        assertThat(out.path("replayed").asInt()).isEqualTo(2);
        assertThat(out.path("remaining").asInt()).isZero();
        assertThat(records(original)).extracting(ConsumerRecord::key).containsExactly("before-1", "before-2");

        InvokeToolService plain = service(kafka);
        JsonNode left = deadLetters(plain, OPERATOR);
        assertThat(left.path("backlog").asInt()).isEqualTo(1);
        assertThat(left.path("samples"))
                .singleElement()
                .satisfies(s -> assertThat(s.path("key").asText()).isEqualTo("during"));
        deadLetter(0, "after", event("a-1", "acme"), original);
        assertThat(replay(plain, 100).path("replayed").asInt()).isEqualTo(2);
        assertThat(records(original))
                .extracting(ConsumerRecord::key)
                .containsExactly("before-1", "before-2", "during", "after");
    }

    @Test
    void deadLettersShowsTheBacklogAndCutSamplesOfTheCallersOwnTenant() throws Exception {
        InvokeToolService service = service(kafka);
        deadLetter(0, "agent-1", event("e-1", "acme"), original);
        deadLetter(1, "agent-2", event("e-2", "globex"), original);

        JsonNode all = deadLetters(service, OPERATOR);
        assertThat(all.path("backlog").asInt()).isEqualTo(2);
        assertThat(all.path("samples")).hasSize(2);
        JsonNode sample = all.path("samples").get(0);
        assertThat(sample.path("reason").asText()).isEqualTo("no agent type 'triage'");
        assertThat(sample.path("originalTopic").asText()).isEqualTo(original);
        assertThat(sample.path("offset").asLong()).isZero();
        assertThat(sample.path("preview").asText()).hasSize(201).endsWith("…");
        assertThat(all.path("samples").findValuesAsText("tenant")).containsExactlyInAnyOrder("acme", "globex");

        JsonNode own = deadLetters(service, "acme");
        assertThat(own.path("backlog").asInt()).isEqualTo(2);
        assertThat(own.path("samples"))
                .singleElement()
                .satisfies(s -> assertThat(s.path("tenant").asText()).isEqualTo("acme"));
        assertThat(own.path("samplesOfOtherTenants").asInt()).isEqualTo(1);
    }

    @Test
    void onlyOperatorsReplayAndOnlyAllowListedTopics() throws Exception {
        InvokeToolService service = service(kafka);
        deadLetter(0, "agent-1", event("e-1", "acme"), original);

        ProblemException notOperator = Refusals.asProblem(catchThrowable(() -> call(
                service, "acme", "replay_dead_letters", "{\"topic\":\"" + dlq + "\",\"reason\":\"mine\"}", "repair")));
        assertThat(notOperator.problem().status()).isEqualTo(403);
        assertThat(notOperator.problem().detail()).startsWith("denied by rule operatorTenants");

        Map<String, String> unknownTopic = Map.of(
                "replay_dead_letters", "{\"topic\":\"devloop.tool.invocations\",\"reason\":\"r\"}",
                "dead_letters", "{\"topic\":\"devloop.tool.invocations\"}");
        unknownTopic.forEach((tool, args) -> {
            ProblemException unknown =
                    Refusals.asProblem(catchThrowable(() -> call(service, OPERATOR, tool, args, "repair")));
            assertThat(unknown.problem().status()).as(tool).isEqualTo(403);
            assertThat(unknown.problem().detail()).startsWith("denied by rule deadLetterAllowList");
            assertThat(unknown.problem().field()).isEqualTo("topic");
        });
        ProblemException tooMany = Refusals.asProblem(catchThrowable(() -> call(
                service,
                OPERATOR,
                "replay_dead_letters",
                "{\"topic\":\"" + dlq + "\",\"reason\":\"r\",\"max\":1001}",
                "repair")));
        assertThat(tooMany.problem().status()).isEqualTo(400);
        assertThat(tooMany.problem().field()).isEqualTo("max");

        // nothing was replayed nor committed by the refused calls
        assertThat(kafka.positions(dlq, GROUP)).isEqualTo(Map.of(0, 0L, 1, 0L));
        assertThat(deadLetters(service, OPERATOR).path("backlog").asInt()).isEqualTo(1);
    }

    @Test
    void aRecordNamingAnotherTopicThanItsDeadLetterTopicsOwnerIsSkipped() throws Exception {
        InvokeToolService service = service(kafka);
        deadLetter(0, "sneaky", event("e-1", "acme"), "devloop.agent.results");
        deadLetter(0, "fine", event("e-2", "acme"), original);
        JsonNode out = replay(service, null);
        assertThat(out.path("replayed").asInt()).isEqualTo(1);
        assertThat(out.path("skipped").asInt()).isEqualTo(1);
        assertThat(out.path("skippedRecords").get(0).path("why").asText())
                .isEqualTo("names devloop.agent.results, not " + original);
        assertThat(records(original)).extracting(ConsumerRecord::key).containsExactly("fine");
    }

    /** The real adapter, with one method to override. */
    private static class DelegatingPort implements DeadLetterPort {
        private final DeadLetterPort real;

        DelegatingPort(DeadLetterPort real) {
            this.real = real;
        }

        @Override
        public Map<Integer, Long> endOffsets(String topic) {
            return real.endOffsets(topic);
        }

        @Override
        public Map<Integer, Long> positions(String topic, String group) {
            return real.positions(topic, group);
        }

        @Override
        public List<Letter> read(
                String topic, Map<Integer, Long> from, Map<Integer, Long> until, int max, long bytes, long ms) {
            return real.read(topic, from, until, max, bytes, ms);
        }

        @Override
        public void publish(List<Outgoing> records, long timeoutMs) {
            real.publish(records, timeoutMs);
        }

        @Override
        public void commit(String topic, String group, Map<Integer, Long> next) {
            real.commit(topic, group, next);
        }
    }
}
