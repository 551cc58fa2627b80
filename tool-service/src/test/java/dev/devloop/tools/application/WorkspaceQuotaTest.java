package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-tenant workspace quota of write_file on a real temporary filesystem: 100 bytes, 4 entries. */
class WorkspaceQuotaTest {
    @TempDir
    Path root;

    private final InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private InvokeToolService service;

    @BeforeEach
    void setUp() {
        Fixtures.shippedTools().forEach(registry::save);
        service = Invoker.over(
                registry,
                audit,
                pool,
                new WorkspaceTools(new LocalWorkspace(root), new WorkspaceSettings(200, 1024, 10, 100, 4)).executors());
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private InvocationResult write(String tenantId, String path, int bytes, boolean append) {
        return service.invoke(new InvokeToolCommand(
                tenantId,
                "write_file",
                json("{\"path\":\"" + path + "\",\"content\":\"" + "x".repeat(bytes) + "\",\"append\":" + append + "}"),
                "repair",
                "a-1",
                "run-1",
                null));
    }

    private ProblemException refused(String tenantId, String path, int bytes, boolean append) {
        Throwable t = catchThrowable(() -> write(tenantId, path, bytes, append));
        return Refusals.asProblem(t);
    }

    @Test
    void writesPastTheTenantsBytesAreDeniedWithTheRuleAndNothingIsWritten() throws Exception {
        assertThat(write(tenant, "a.txt", 60, false).status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(write(tenant, "b.txt", 40, false).status()).isEqualTo(InvocationResult.SUCCEEDED);

        ProblemException full = refused(tenant, "c.txt", 1, false);
        assertThat(full.problem().status()).isEqualTo(403);
        assertThat(full.problem().field()).isEqualTo("content");
        assertThat(full.problem().detail())
                .isEqualTo("denied by rule workspaceQuota: the tenant workspace may hold at "
                        + "most 100 bytes; it holds 100 and writing c.txt would make it 101");
        assertThat(Files.exists(root.resolve(tenant).resolve("c.txt"))).isFalse();
        assertThat(refused(tenant, "a.txt", 1, true).problem().detail()).contains("would make it 101");
        assertThat(Files.size(root.resolve(tenant).resolve("a.txt"))).isEqualTo(60);
        AuditEntry last = audit.recorded.get(audit.recorded.size() - 1);
        assertThat(last.outcome()).isEqualTo(InvocationOutcome.DENIED);
        assertThat(last.rule()).isEqualTo("workspaceQuota");

        // overwriting counts the file's new size, not old + new: shrinking a.txt frees room
        assertThat(write(tenant, "a.txt", 10, false).status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(write(tenant, "c.txt", 50, false).status()).isEqualTo(InvocationResult.SUCCEEDED);
        // another tenant has its own 100 bytes
        assertThat(write(Fixtures.tenant(), "a.txt", 100, false).status()).isEqualTo(InvocationResult.SUCCEEDED);
    }

    @Test
    void filesAndDirectoriesAreCountedBeforeAnythingIsCreated() throws Exception {
        assertThat(write(tenant, "a.txt", 1, false).status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(write(tenant, "d/b.txt", 1, false).status()).isEqualTo(InvocationResult.SUCCEEDED); // 3 entries
        ProblemException deep = refused(tenant, "e/f/c.txt", 1, false); // would add e, e/f and c.txt
        assertThat(deep.problem().detail())
                .isEqualTo("denied by rule workspaceEntries: the tenant workspace may hold "
                        + "at most 4 files and directories; writing e/f/c.txt would make it 6");
        assertThat(Files.exists(root.resolve(tenant).resolve("e"))).isFalse();
        assertThat(write(tenant, "d/c.txt", 1, false).status()).isEqualTo(InvocationResult.SUCCEEDED); // 4 entries
        assertThat(write(tenant, "d/c.txt", 2, false).status())
                .as("overwriting adds no entry")
                .isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(refused(tenant, "z.txt", 1, false).problem().detail()).contains("rule workspaceEntries");
    }
}
