package dev.devloop.agent.adapters.in.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.contracts.Headers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/**
 * Issue #19's logging style: agent-service's lines say what happened in words and carry their values as fields (the
 * MDC while the line is published, the JSON console's {@code mdc} keys), never as {@code key=value} in the message.
 */
@QuarkusTest
class LogFieldsTest {
    private record Line(String logger, String message, Map<String, Object> fields) {}

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void spawnAndRetireLogTheirValuesAsFields() {
        List<Line> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(new Line(r.getLoggerName(), r.getMessage(), Map.copyOf(MDC.getMap())));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger.getLogger("").addHandler(capture);
        String agentId;
        try {
            agentId = given().header(Headers.TENANT, tenant)
                    .contentType(ContentType.JSON)
                    .body("{\"type\":\"system_health\"}")
                    .post("/agents")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            given().header(Headers.TENANT, tenant)
                    .delete("/agents/" + agentId)
                    .then()
                    .statusCode(200);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }

        List<Line> ours = lines.stream()
                .filter(l -> tenant.equals(l.fields().get("tenant")))
                .toList();
        assertThat(ours)
                .anySatisfy(l -> {
                    assertThat(l.logger()).isEqualTo(AgentResource.class.getName());
                    assertThat(l.message()).isEqualTo("agent spawned");
                    assertThat(l.fields())
                            .containsEntry("agentId", agentId)
                            .containsEntry("agentType", "system_health")
                            .doesNotContainKey("parentId"); // null values are left out
                })
                .anySatisfy(l -> {
                    assertThat(l.message()).isEqualTo("agents retired");
                    assertThat(l.fields()).containsEntry("agentId", agentId).containsEntry("count", "1");
                });
        assertThat(lines)
                .filteredOn(l -> l.logger() != null && l.logger().startsWith("dev.devloop.agent"))
                .allSatisfy(l -> assertThat(l.message()).doesNotContain(tenant).doesNotContain("tenant="));
    }
}
