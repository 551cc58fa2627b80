package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.filesystem.LocalWorkspace;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.domain.InvocationOutcome;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** read_file / write_file / list_dir through the invocation use case on a real temporary filesystem. */
class WorkspaceToolsTest {
    @TempDir
    Path temp;

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private Path root;
    private Path outside;
    private InvokeToolService service;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(temp.resolve("workspaces"));
        outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Fixtures.shippedTools().forEach(registry::save);
        List<ToolExecutor> executors = new ArrayList<>(
                new WorkspaceTools(new LocalWorkspace(root), new WorkspaceSettings(200, 1024, 3)).executors());
        service = Invoker.over(registry, audit, pool, executors);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult call(String tenantId, String tool, String args) {
        return service.invoke(new InvokeToolCommand(tenantId, tool, json(args), "repair", "agent-1", "run-1", null));
    }

    private InvocationResult call(String tool, String args) {
        return call(tenant, tool, args);
    }

    private ProblemException refused(String tool, String args) {
        Throwable t = catchThrowable(() -> call(tool, args));
        return Refusals.asProblem(t);
    }

    private static String args(String path) {
        ObjectNode node = Fixtures.JSON.createObjectNode().put("path", path).put("content", "x");
        return node.toString();
    }

    @Test
    void writeReadAndListRoundTrip() {
        InvocationResult written = call("write_file", "{\"path\":\"notes/today.md\",\"content\":\"cache cleared\\n\"}");
        call("write_file", "{\"path\":\"notes/today.md\",\"content\":\"db ok\\n\",\"append\":true}");
        InvocationResult read = call("read_file", "{\"path\":\"notes/today.md\"}");
        InvocationResult listed = call("list_dir", "{}");

        assertThat(written.status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(written.output().path("size").asLong()).isEqualTo(14);
        assertThat(read.output().path("content").asText()).isEqualTo("cache cleared\ndb ok\n");
        assertThat(listed.output().path("entries").get(0).path("name").asText()).isEqualTo("notes");
        assertThat(listed.output().path("entries").get(0).path("type").asText()).isEqualTo("dir");
        assertThat(Files.exists(root.resolve(tenant).resolve("notes/today.md"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../outside/secret.txt",
                "notes/../../../outside/secret.txt",
                "/etc/passwd",
                "%2e%2e/%2e%2e/outside/secret.txt",
                "..%2F..%2Foutside",
                "..\\..\\outside\\secret.txt",
                "~/.ssh/id_rsa"
            })
    void traversalAttemptsAre400NamingThePathForEveryTool(String path) {
        for (String tool : List.of("read_file", "write_file", "list_dir")) {
            ProblemException e = refused(
                    tool,
                    args(path).replace(",\"content\":\"x\"", tool.equals("write_file") ? ",\"content\":\"x\"" : ""));
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo("path");
        }
        assertThat(audit.recorded)
                .allSatisfy(a -> assertThat(a.outcome()).isEqualTo(InvocationOutcome.INVALID_ARGUMENTS));
    }

    @Test
    void symbolicLinksOutOfTheWorkspaceAreRefused() throws Exception {
        call("list_dir", "{}");
        Path mine = root.resolve(tenant);
        Files.createSymbolicLink(mine.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(mine.resolve("out"), outside);
        Files.createSymbolicLink(mine.resolve("zero"), Path.of("/dev/zero"));

        assertThat(refused("read_file", "{\"path\":\"leak.txt\"}").problem().detail())
                .contains("symbolic link");
        assertThat(refused("read_file", "{\"path\":\"out/secret.txt\"}")
                        .problem()
                        .field())
                .isEqualTo("path");
        assertThat(refused("list_dir", "{\"path\":\"out\"}").problem().field()).isEqualTo("path");
        assertThat(refused("read_file", "{\"path\":\"zero\"}").problem().field())
                .isEqualTo("path");
        assertThat(refused("write_file", "{\"path\":\"out/planted.txt\",\"content\":\"x\"}")
                        .problem()
                        .field())
                .isEqualTo("path");
        assertThat(refused("write_file", "{\"path\":\"leak.txt\",\"content\":\"overwritten\"}")
                        .problem()
                        .field())
                .isEqualTo("path");
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("top secret");
        assertThat(Files.exists(outside.resolve("planted.txt"))).isFalse();
        assertThat(call("list_dir", "{}").output().findValuesAsText("type")).contains("symlink");
    }

    @Test
    void devicesAndPipesInsideTheWorkspaceAreRefused() throws Exception {
        call("list_dir", "{}");
        Path fifo = root.resolve(tenant).resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();

        assertThat(refused("read_file", "{\"path\":\"pipe\"}").problem().detail())
                .contains("not a regular file");
        assertThat(refused("write_file", "{\"path\":\"pipe\",\"content\":\"x\"}")
                        .problem()
                        .detail())
                .contains("not a regular file");
    }

    @Test
    void sizesAndListingsAreBounded() throws Exception {
        call("list_dir", "{}");
        InvocationResult tooBig = call("write_file", "{\"path\":\"big.txt\",\"content\":\"" + "x".repeat(1025) + "\"}");
        assertThat(tooBig.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(tooBig.error()).contains("at most 1024");

        Path mine = root.resolve(tenant);
        Files.writeString(mine.resolve("large.log"), "y".repeat(2000));
        InvocationResult largeRead = call("read_file", "{\"path\":\"large.log\"}");
        assertThat(largeRead.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(largeRead.error()).contains("2000 bytes");

        for (int i = 0; i < 5; i++) {
            Files.writeString(mine.resolve("f" + i), "z");
        }
        InvocationResult listed = call("list_dir", "{}");
        assertThat(listed.output().path("entries").size()).isEqualTo(3);
        assertThat(listed.output().path("truncated").asBoolean()).isTrue();
    }

    @Test
    void tenantsDoNotSeeEachOthersFiles() {
        call("write_file", "{\"path\":\"mine.txt\",\"content\":\"a\"}");
        InvocationResult other = call(Fixtures.tenant(), "read_file", "{\"path\":\"mine.txt\"}");
        assertThat(other.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(other.error()).contains("no such file");
    }

    @Test
    void writingIsForbiddenToReadOnlyAgentTypes() {
        Throwable t = catchThrowable(() -> service.invoke(new InvokeToolCommand(
                tenant,
                "write_file",
                json("{\"path\":\"a.txt\",\"content\":\"x\"}"),
                "diagnostic",
                "agent-1",
                "run-1",
                null)));
        assertThat(Refusals.asProblem(t).problem().status()).isEqualTo(403);
        assertThat(audit.recorded).extracting(AuditEntry::rule).containsExactly("allowedAgentTypes");
    }
}
