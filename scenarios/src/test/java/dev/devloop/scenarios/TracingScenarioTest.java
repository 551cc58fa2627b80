package dev.devloop.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.scenarios.OtlpReceiver.ExportedSpan;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context carried across HTTP and Kafka, proven on the spans the five packaged services really
 * export over OTLP (http/protobuf) to a receiver in this test: a trace id chosen by the caller — in a
 * {@code traceparent} request header or a {@code traceparent} Kafka record header — reaches every hop, and a
 * Kafka consumer span in one service is the child of the producer span in another.
 *
 * <p>The stack runs on its own topic prefix, so no other stack's consumers (fixed group ids) take its records.
 */
class TracingScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KAFKA = System.getenv().getOrDefault("DEVLOOP_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    private static final Duration SPANS_WITHIN = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static OtlpReceiver otlp;
    private static OpenAiStub openAi;
    private static TestTokens tokens;
    private static DevloopStack stack;
    private static String prefix;
    private static Path work;

    @BeforeAll
    static void startTheStack() throws Exception {
        SharedStack.release(); // its settings differ from the shared stack's: one stack at a time
        Path root = Path.of(System.getProperty("devloop.root", ".."))
                .toAbsolutePath()
                .normalize();
        long now = System.currentTimeMillis();
        work = root.resolve("scenarios/target/tracing-" + now);
        prefix = "tracing-" + now + ".";
        otlp = new OtlpReceiver();
        openAi = new OpenAiStub();
        tokens = new TestTokens(work.resolve("keys"));
        stack = DevloopStack.start(
                snapshot(root, work.resolve("snapshot")),
                work,
                DevloopStack.env(
                        openAi,
                        tokens,
                        Map.of(
                                "DEVLOOP_TOPIC_PREFIX",
                                prefix,
                                // the OTLP exporter of quarkus-opentelemetry: our receiver, http/protobuf, a short
                                // batch delay
                                "DEVLOOP_OTLP_ENDPOINT",
                                otlp.endpoint(),
                                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                                "http/protobuf",
                                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY",
                                "200ms",
                                "DEVLOOP_OTLP_EXPORT_LOG_LEVEL",
                                "WARN")));
    }

    /**
     * Hard links of the five packaged services under {@code into}: other builds on this machine repackage the
     * services while scenarios run (deleting and re-creating the files of {@code target/quarkus-app}); the links
     * keep this stack on one consistent build. A build caught half-way is waited out (bounded).
     */
    private static Path snapshot(Path root, Path into) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                for (String module : DevloopStack.MODULES) {
                    Path app = root.resolve(module).resolve("target/quarkus-app");
                    Path copy = into.resolve(module).resolve("target/quarkus-app");
                    try (var files = java.nio.file.Files.walk(app)) {
                        for (Path file : (Iterable<Path>) files::iterator) {
                            Path target = copy.resolve(app.relativize(file).toString());
                            if (java.nio.file.Files.isDirectory(file)) {
                                java.nio.file.Files.createDirectories(target);
                            } else {
                                java.nio.file.Files.deleteIfExists(target);
                                java.nio.file.Files.createLink(target, file);
                            }
                        }
                    }
                    if (!java.nio.file.Files.exists(copy.resolve("quarkus-run.jar"))) {
                        throw new java.nio.file.NoSuchFileException(
                                copy.resolve("quarkus-run.jar").toString());
                    }
                }
                return into;
            } catch (java.io.IOException | java.io.UncheckedIOException partialBuild) {
                if (attempt == 12) {
                    throw partialBuild;
                }
                Thread.sleep(10_000);
            }
        }
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (openAi != null) {
            openAi.close();
        }
        if (otlp != null) {
            otlp.close();
        }
        if (prefix != null) {
            try {
                deleteTopicsOf(prefix);
            } catch (Exception e) {
                // housekeeping only: what the scenario proves does not depend on it
                System.err.println("topics under " + prefix + " not deleted: " + e);
            }
        }
    }

    /** Deletes the topics this stack auto-created under its prefix, so runs do not pile topics up on the broker. */
    private static void deleteTopicsOf(String topicPrefix) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA);
        p.put("request.timeout.ms", "15000");
        p.put("default.api.timeout.ms", "20000");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            Set<String> ours = admin.listTopics().names().get(20, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(topicPrefix))
                    .collect(Collectors.toSet());
            if (!ours.isEmpty()) {
                admin.deleteTopics(ours).all().get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** Case A: HTTP request with the caller's traceparent → gateway → agent → provider/tool/knowledge, and over Kafka. */
    @Test
    void aCallersTraceparentReachesEveryServiceAndCrossesKafka() throws Exception {
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        String tenant = "trace-" + UUID.randomUUID().toString().substring(0, 8);

        given().baseUri(stack.service("api-gateway").url())
                .header("Authorization", "Bearer " + tokens.token(tenant, "operator"))
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON)
                .body("{\"input\":\"Remember that the build server is healthy\"}")
                .when()
                .post("/api/v1/agents/assistant/runs?wait=true")
                .then()
                .statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("traceId", equalTo(traceId))
                .header("X-Devloop-Trace-Id", traceId);

        String lifecycleTopic = prefix + "devloop.agent.lifecycle";
        // done when every service has a span hanging (through exported parents) under the caller's span, and
        // agent-service's lifecycle PRODUCER spans have CONSUMER children in knowledge-service and api-gateway
        Predicate<List<ExportedSpan>> complete =
                trace -> DevloopStack.MODULES.stream().allMatch(m -> trace.stream()
                                .anyMatch(s -> s.service().equals(m) && descendsFrom(trace, s, callerSpan)))
                        && consumersOf(trace, lifecycleTopic).containsAll(Set.of("knowledge-service", "api-gateway"));
        List<ExportedSpan> trace = otlp.awaitTrace(traceId, complete, SPANS_WITHIN);
        String dump = dump(trace);
        java.nio.file.Files.writeString(work.resolve("trace-http-" + traceId + ".txt"), dump);

        assertThat(otlp.errors()).as("OTLP receiver errors").isEmpty();
        // every service exported spans of the caller's trace
        assertThat(services(trace))
                .as("services with spans of trace " + traceId + ":\n" + dump)
                .containsAll(DevloopStack.MODULES);
        // the gateway's server span is the child of the caller's span: the traceparent was continued, not replaced
        assertThat(trace)
                .as("api-gateway SERVER span whose parent is the caller's span " + callerSpan + ":\n" + dump)
                .anySatisfy(s -> {
                    assertThat(s.service()).isEqualTo("api-gateway");
                    assertThat(s.isKind("SERVER")).isTrue();
                    assertThat(s.parentSpanId()).isEqualTo(callerSpan);
                });
        // each downstream service has a SERVER span whose parent is a CLIENT span of the trace in another service
        for (String module : List.of("agent-service", "provider-gateway", "tool-service", "knowledge-service")) {
            assertThat(trace)
                    .as(module + " SERVER span child of another service's CLIENT span:\n" + dump)
                    .anySatisfy(s -> {
                        assertThat(s.service()).isEqualTo(module);
                        assertThat(s.isKind("SERVER")).isTrue();
                        assertThat(trace).anySatisfy(parent -> {
                            assertThat(parent.spanId()).isEqualTo(s.parentSpanId());
                            assertThat(parent.isKind("CLIENT")).isTrue();
                            assertThat(parent.service()).isNotEqualTo(module);
                        });
                    });
        }
        // Kafka: agent-service's PRODUCER span on the lifecycle topic is the parent of knowledge-service's CONSUMER
        // span (the agent-tree mirror) and of api-gateway's live-events CONSUMER span, in the same trace, and that
        // producer span itself hangs under the caller's span (HTTP → agent-service → Kafka → consumer: one tree)
        for (String consumer : List.of("knowledge-service", "api-gateway")) {
            assertThat(kafkaLinks(trace, lifecycleTopic))
                    .as("agent-service PRODUCER (" + lifecycleTopic + ") → " + consumer + " CONSUMER:\n" + dump)
                    .anySatisfy(link -> {
                        assertThat(link[0].service()).isEqualTo("agent-service");
                        assertThat(descendsFrom(trace, link[0], callerSpan))
                                .as("producer span under the caller's span")
                                .isTrue();
                        assertThat(link[1].service()).isEqualTo(consumer);
                    });
        }
        // and every service's spans hang under the caller's span through exported parents
        for (String module : DevloopStack.MODULES) {
            assertThat(trace)
                    .as(module + " span descending from the caller's span " + callerSpan + ":\n" + dump)
                    .anyMatch(s -> s.service().equals(module) && descendsFrom(trace, s, callerSpan));
        }
    }

    /** Case B: a plain Kafka producer's traceparent record header → agent-service's consumer → provider-gateway. */
    @Test
    void aTraceparentRecordHeaderIsContinuedByTheTaskConsumerAndTheRun() throws Exception {
        String traceId = randomHex(16);
        String producerSpan = randomHex(8);
        String tenant = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        String tasksTopic = prefix + "devloop.agent.tasks";
        String task = JSON.writeValueAsString(Map.of(
                "specversion",
                "1.0",
                "id",
                "task-" + UUID.randomUUID(),
                "source",
                "urn:scenario:external-producer",
                "type",
                "dev.devloop.agent.task",
                "time",
                java.time.Instant.now().toString(),
                "tenant",
                tenant,
                "datacontenttype",
                "application/json",
                "data",
                Map.of("agentType", "assistant", "input", "Remember that the build server is healthy")));
        try (KafkaTasks producer = KafkaTasks.granted(
                stack.service("api-gateway").url(), tokens.token(tenant, "admin"), KAFKA, tasksTopic)) {
            producer.send(tenant, task, Map.of("traceparent", "00-" + traceId + "-" + producerSpan + "-01"));
        }

        Predicate<ExportedSpan> taskConsumer = s ->
                s.service().equals("agent-service") && s.isKind("CONSUMER") && producerSpan.equals(s.parentSpanId());
        Predicate<ExportedSpan> providerServer = s -> s.service().equals("provider-gateway") && s.isKind("SERVER");
        // the run is executed off the consumer thread; its model calls must still hang under the consumer span
        java.util.function.BiPredicate<List<ExportedSpan>, ExportedSpan> underConsumer =
                (t, s) -> t.stream().filter(taskConsumer).anyMatch(c -> descendsFrom(t, s, c.spanId()));
        List<ExportedSpan> trace = otlp.awaitTrace(
                traceId,
                t -> t.stream().anyMatch(taskConsumer)
                        && t.stream().anyMatch(s -> providerServer.test(s) && underConsumer.test(t, s)),
                SPANS_WITHIN);
        String dump = dump(trace);
        java.nio.file.Files.writeString(work.resolve("trace-kafka-" + traceId + ".txt"), dump);

        assertThat(otlp.errors()).as("OTLP receiver errors").isEmpty();
        assertThat(trace)
                .as("agent-service CONSUMER span on " + tasksTopic + " whose parent is the record's span "
                        + producerSpan + ":\n" + dump)
                .anyMatch(taskConsumer);
        assertThat(trace)
                .as("provider-gateway SERVER span of the run in trace " + traceId + ":\n" + dump)
                .anyMatch(providerServer);
        assertThat(trace)
                .as("provider-gateway SERVER span descending from agent-service's task CONSUMER span:\n" + dump)
                .anyMatch(s -> providerServer.test(s) && underConsumer.test(trace, s));
    }

    /** Pairs [producer, consumer] where a CONSUMER span of another service is the child of a PRODUCER span on topic. */
    private static List<ExportedSpan[]> kafkaLinks(List<ExportedSpan> trace, String topic) {
        return trace.stream()
                .filter(p -> p.isKind("PRODUCER") && onTopic(p, topic))
                .flatMap(p -> trace.stream()
                        .filter(c -> c.isKind("CONSUMER")
                                && p.spanId().equals(c.parentSpanId())
                                && !c.service().equals(p.service()))
                        .map(c -> new ExportedSpan[] {p, c}))
                .toList();
    }

    /** Services with a CONSUMER span that is the child of a PRODUCER span on {@code topic} in another service. */
    private static Set<String> consumersOf(List<ExportedSpan> trace, String topic) {
        return kafkaLinks(trace, topic).stream().map(link -> link[1].service()).collect(Collectors.toSet());
    }

    /** Whether {@code span} reaches {@code ancestorId} walking parent ids through the exported spans (bounded). */
    private static boolean descendsFrom(List<ExportedSpan> trace, ExportedSpan span, String ancestorId) {
        Map<String, ExportedSpan> byId =
                trace.stream().collect(Collectors.toMap(ExportedSpan::spanId, s -> s, (a, b) -> a));
        ExportedSpan current = span;
        for (int depth = 0; depth < 64 && current != null; depth++) {
            if (current.parentSpanId().equals(ancestorId)) {
                return true;
            }
            current = byId.get(current.parentSpanId());
        }
        return false;
    }

    private static boolean onTopic(ExportedSpan span, String topic) {
        return topic.equals(span.attributes().get("messaging.destination.name"))
                || span.name().startsWith(topic + " ");
    }

    private static Set<String> services(List<ExportedSpan> trace) {
        return trace.stream().map(ExportedSpan::service).collect(Collectors.toSet());
    }

    private static String dump(List<ExportedSpan> trace) {
        return trace.stream().map(s -> "  " + s + " " + s.attributes()).collect(Collectors.joining("\n"));
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        b[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(b);
    }
}
