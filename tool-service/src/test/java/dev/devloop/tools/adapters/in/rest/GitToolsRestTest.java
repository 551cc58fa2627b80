package dev.devloop.tools.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.mongodb.client.MongoClient;
import dev.devloop.contracts.Topics;
import dev.devloop.tools.support.GitFixture;
import dev.devloop.tools.support.RestInvocations;
import dev.devloop.tools.support.Stored;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The git tools over HTTP in the running service, against the bare repository configured as remote
 * {@code fixture} (%test profile): a secret refused by the commit scan appears in none of the result, the log
 * lines, the audit record in MongoDB or the invocation event on Kafka.
 */
@QuarkusTest
class GitToolsRestTest {
    private static final Path REMOTES = Path.of("target/git-remotes");

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void remote() throws IOException {
        if (Files.exists(REMOTES)) {
            try (var paths = Files.walk(REMOTES)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        new GitFixture(REMOTES.resolve("fixture.git"), REMOTES.resolve("seed")).close();
    }

    private static io.restassured.response.ValidatableResponse invoke(String tenant, String tool, String arguments) {
        return RestInvocations.invoke(
                        tenant,
                        tool,
                        "{\"arguments\":" + arguments + ",\"agentType\":\"repository\",\"agentId\":\"agent-git\"}")
                .then()
                .log()
                .ifValidationFails();
    }

    @Test
    void aRefusedSecretAppearsInNoResultLogAuditOrEvent() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String key = GitFixture.fakeAwsKeyId(11);
        String feature = "{\"repository\":\"fixture\",\"featureId\":\"f-1\"";
        List<String> logs = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                // the structured fields (LogFields) are in the MDC while the record is published
                logs.add(r.getMessage() + " " + Arrays.toString(r.getParameters()) + " " + MDC.getMap());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("").addHandler(capture);
        String body;
        try {
            invoke(tenant, "git_clone", feature + "}").statusCode(200).body("status", equalTo("SUCCEEDED"));
            invoke(tenant, "git_branch", feature + "}").statusCode(200).body("output.branch", equalTo("feature/f-1"));
            invoke(
                            tenant,
                            "git_write_file",
                            feature + ",\"path\":\"app.env\",\"content\":\"A=1\\nKEY_ID=" + key + "\\n\"}")
                    .statusCode(200)
                    .body("status", equalTo("SUCCEEDED"));
            body = invoke(tenant, "git_commit", feature + ",\"message\":\"Configure\"}")
                    .statusCode(200)
                    .body("status", equalTo("FAILED"))
                    .body("error", containsString("{file: app.env, line: 2, rule: aws-access-key-id}"))
                    .extract()
                    .asString();
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }

        assertThat(body).doesNotContain(key);
        assertThat(logs)
                .anySatisfy(l -> assertThat(l).startsWith("tool invoked").contains("toolId=git_commit"));
        assertThat(logs).noneSatisfy(l -> assertThat(l).contains(key));
        List<Document> audit = Stored.audit(mongo, tenant);
        assertThat(audit).hasSize(4).noneSatisfy(d -> assertThat(d.toJson()).contains(key));
        assertThat(audit).anySatisfy(d -> assertThat(d.toJson()).contains("aws-access-key-id"));
        List<ConsumerRecord<String, String>> events = eventsOf(tenant, 4);
        assertThat(events).noneSatisfy(r -> assertThat(r.value()).contains(key));
        assertThat(events).anySatisfy(r -> assertThat(r.value()).contains("git_commit"));
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString(
                        "devloop_tools_git_secret_refusals_total{operation=\"commit\",rule=\"aws-access-key-id\"}"));
    }

    @Test
    void anUnconfiguredRepositoryIs400NamingTheField() {
        invoke("t-" + UUID.randomUUID(), "git_clone", "{\"repository\":\"elsewhere\",\"featureId\":\"f-1\"}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("repository"));
    }

    private List<ConsumerRecord<String, String>> eventsOf(String tenant, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tool-service-git-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> mine = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.TOOL_INVOCATIONS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mine.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && r.value().contains("\"tenant\":\"" + tenant + "\"")) {
                        mine.add(r);
                    }
                }
            }
        }
        assertThat(mine).as("events of tenant " + tenant).hasSize(expected);
        return mine;
    }
}
