package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.logs.LocalLogFiles;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** read_logs through the use case on real log files in a temporary log directory. */
class ReadLogsToolTest {
    @TempDir
    Path logs;

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        Fixtures.shippedTools().forEach(registry::save);
        LogSettings settings = new LogSettings(Set.of("knowledge-service", "agent-service"), 100, 4096, 300, 100);
        service = Invoker.over(registry, audit, pool, List.of(new ReadLogsTool(new LocalLogFiles(logs), settings)));
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private void log(String service, String... lines) throws IOException {
        Files.writeString(logs.resolve(service + ".log"), String.join("\n", lines) + "\n");
    }

    private InvocationResult call(String args) {
        return call(args, "diagnostic");
    }

    private InvocationResult call(String args, String agentType) {
        return service.invoke(new InvokeToolCommand(tenant, "read_logs", json(args), agentType, "a-1", "run-1", null));
    }

    private ProblemException refused(String args) {
        Throwable t = catchThrowable(() -> call(args));
        return Refusals.asProblem(t);
    }

    private static List<String> messages(InvocationResult result) {
        List<String> out = new ArrayList<>();
        result.output().path("lines").forEach(l -> out.add(l.path("message").asText()));
        return out;
    }

    @Test
    void theNewestLinesOfJsonAndTextLogsAreReturnedParsed() throws IOException {
        log(
                "knowledge-service",
                "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"level\":\"INFO\",\"loggerName\":\"k.Facts\",\"message\":\"fact stored\"}",
                "2026-11-25 10:00:01,000 WARN  [k.Neo4j] (pool-1) slow transaction 2300 ms",
                "{\"timestamp\":\"2026-11-25T10:00:02Z\",\"level\":\"ERROR\",\"loggerName\":\"k.Search\",\"message\":\"search failed\","
                        + "\"exception\":{\"exceptionType\":\"java.io.IOException\",\"message\":\"closed\"}}");

        InvocationResult result = call("{\"service\":\"knowledge-service\",\"lines\":2}");

        assertThat(result.status()).isEqualTo(InvocationResult.SUCCEEDED);
        JsonNode lines = result.output().path("lines");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(0).path("logger").asText()).isEqualTo("k.Neo4j");
        assertThat(lines.get(0).path("timestamp").asText()).isEqualTo("2026-11-25 10:00:01,000");
        assertThat(lines.get(1).path("message").asText()).isEqualTo("search failed | java.io.IOException: closed");
        assertThat(result.output().path("scanned").asInt()).isEqualTo(3);
    }

    @Test
    void levelAndRegexFiltersKeepStackFramesWithTheirLine() throws IOException {
        log(
                "agent-service",
                "2026-11-25 10:00:00,000 INFO  [a.Loop] (x) run r-1 started",
                "2026-11-25 10:00:01,000 ERROR [a.Loop] (x) run r-1 failed: tool-service unreachable",
                "\tat dev.devloop.agent.Loop.step(Loop.java:10)",
                "2026-11-25 10:00:02,000 DEBUG [a.Loop] (x) polling",
                "2026-11-25 10:00:03,000 WARN  [a.Loop] (x) run r-2 slow");

        assertThat(messages(call("{\"service\":\"agent-service\",\"level\":\"WARN\"}")))
                .containsExactly(
                        "run r-1 failed: tool-service unreachable",
                        "\tat dev.devloop.agent.Loop.step(Loop.java:10)",
                        "run r-2 slow");
        assertThat(messages(call("{\"service\":\"agent-service\",\"contains\":\"run r-[12] (started|slow)\"}")))
                .containsExactly("run r-1 started", "run r-2 slow");
    }

    @Test
    void onlyTheEndOfABigLogIsScannedAndLongLinesAreCut() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add("2026-11-25 10:00:00,000 INFO  [x] (t) line " + i + " " + "y".repeat(i == 199 ? 1000 : 10));
        }
        log("knowledge-service", lines.toArray(String[]::new));

        InvocationResult result = call("{\"service\":\"knowledge-service\",\"lines\":500}");

        assertThat(result.output().path("scanCut").asBoolean()).isTrue();
        List<String> got = messages(result);
        assertThat(got.get(got.size() - 1)).startsWith("line 199 ").endsWith("…");
        assertThat(got.get(got.size() - 1).length()).isLessThan(300);
        assertThat(got).allSatisfy(m -> assertThat(m).startsWith("line "));
        assertThat(got.size()).isLessThan(200);
    }

    @Test
    void aBacktrackingExpressionIsStoppedByItsBudget() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add("x".repeat(40));
        }
        log("knowledge-service", lines.toArray(String[]::new));

        InvocationResult result = call("{\"service\":\"knowledge-service\",\"contains\":\"(.*x){12}y\"}");

        assertThat(result.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(result.error()).contains("'contains' expression took longer than 100 ms");
    }

    @Test
    void anInvalidExpressionIs400NamingIt() throws IOException {
        log("knowledge-service", "x");
        ProblemException e = refused("{\"service\":\"knowledge-service\",\"contains\":\"(unclosed\"}");
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().field()).isEqualTo("contains");
        assertThat(audit.recorded).extracting(AuditEntry::outcome).containsExactly(InvocationOutcome.INVALID_ARGUMENTS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../etc/passwd", "/var/log/syslog", "knowledge-service/../../x", "Knowledge_Service", "a%2e%2e"})
    void pathsAreNotServiceNames(String service) {
        ProblemException e = refused("{\"service\":\"" + service + "\"}");
        assertThat(e.problem().status()).isEqualTo(400);
        assertThat(e.problem().field()).isEqualTo("service");
    }

    @Test
    void servicesOffTheAllowListAreDenied() throws IOException {
        log("postgres", "secret");
        ProblemException e = refused("{\"service\":\"postgres\"}");
        assertThat(e.problem().status()).isEqualTo(403);
        assertThat(e.problem().detail()).startsWith("denied by rule logAllowList");
        assertThat(audit.recorded).extracting(AuditEntry::rule).containsExactly("logAllowList");
    }

    @Test
    void boundsAndPermissionsAreChecked() {
        assertThat(refused("{\"service\":\"knowledge-service\",\"lines\":501}")
                        .problem()
                        .field())
                .isEqualTo("lines");
        assertThat(refused("{\"service\":\"knowledge-service\",\"level\":\"LOUD\"}")
                        .problem()
                        .field())
                .isEqualTo("level");
        assertThat(refused("{\"service\":\"knowledge-service\",\"contains\":\"" + "x".repeat(201) + "\"}")
                        .problem()
                        .field())
                .isEqualTo("contains");
        Throwable denied = catchThrowable(() -> call("{\"service\":\"knowledge-service\"}", "assistant"));
        assertThat(Refusals.asProblem(denied).problem().status()).isEqualTo(403);
        assertThat(Refusals.asProblem(denied).problem().detail()).startsWith("denied by rule allowedAgentTypes");
    }

    @Test
    void aMissingOrLinkedLogFailsReadably() throws IOException {
        InvocationResult missing = call("{\"service\":\"knowledge-service\"}");
        assertThat(missing.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(missing.error()).isEqualTo("no log for 'knowledge-service' yet: is it running in the local stack?");

        Path secret = Files.writeString(logs.getParent().resolve("secret-" + tenant + ".txt"), "password=hunter2\n");
        Files.createSymbolicLink(logs.resolve("knowledge-service.log"), secret);
        InvocationResult linked = call("{\"service\":\"knowledge-service\"}");
        assertThat(linked.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(linked.toString()).doesNotContain("hunter2");
        Files.delete(secret);
    }
}
