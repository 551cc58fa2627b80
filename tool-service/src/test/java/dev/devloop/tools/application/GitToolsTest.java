package dev.devloop.tools.application;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.tools.adapters.out.filesystem.LocalWorkspace;
import dev.devloop.tools.adapters.out.git.JGitWorkspaces;
import dev.devloop.tools.domain.GitRemote;
import dev.devloop.tools.domain.SecretScanner;
import dev.devloop.tools.ports.in.InvocationResult;
import dev.devloop.tools.ports.in.InvokeToolCommand;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.support.Fixtures;
import dev.devloop.tools.support.GitFixture;
import dev.devloop.tools.support.InMemoryPorts;
import dev.devloop.tools.support.Invoker;
import dev.devloop.tools.support.Refusals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RepositoryState;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The git tools through the invocation use case, over real repositories on disk and a bare repository as remote. */
class GitToolsTest {
    private static final String FEATURE = "{\"repository\":\"app\",\"featureId\":\"x\"";

    @TempDir
    Path temp;

    private final InMemoryPorts.Audit audit = new InMemoryPorts.Audit();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final String tenant = Fixtures.tenant();
    private final List<String> scanRefusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private GitFixture remote;
    private JGitWorkspaces git;
    private Path root;
    private InvokeToolService service;

    @BeforeEach
    void setUp() throws Exception {
        remote = new GitFixture(Files.createDirectory(temp.resolve("remotes")));
        root = Files.createDirectory(temp.resolve("workspaces"));
        InMemoryPorts.Registry registry = new InMemoryPorts.Registry();
        Fixtures.shippedTools().forEach(registry::save);
        git = new JGitWorkspaces(
                root,
                Map.of(
                        "app",
                        new GitRemote(remote.remote.toString(), Optional.of("bot"), Optional.of("remote-password"))),
                30_000,
                1 << 20,
                Executors.newFixedThreadPool(2));
        LocalWorkspace workspace = new LocalWorkspace(root);
        GitTools tools = new GitTools(
                git,
                workspace,
                new SecretScanner(),
                new GitSettings(Map.of("app", "main"), "agents@devloop.test", 512, 4096, 2048, 20, 5, 400, 10, 1 << 20),
                new WorkspaceSettings(512, 4096, 100),
                new ToolMetricsPort() {
                    @Override
                    public void quotaRefused(String window, dev.devloop.tools.domain.ToolKind kind) {}

                    @Override
                    public void secretScanRefused(String operation, String rule) {
                        scanRefusals.add(operation + "/" + rule);
                    }
                });
        List<ToolExecutor> executors = new ArrayList<>(tools.executors());
        executors.addAll(new WorkspaceTools(workspace, new WorkspaceSettings(512, 4096, 100)).executors());
        service = Invoker.over(registry, audit, pool, executors);
    }

    @AfterEach
    void tearDown() {
        git.close();
        remote.close();
        pool.shutdownNow();
    }

    private InvocationResult call(String agentType, String tool, String args) {
        return service.invoke(new InvokeToolCommand(tenant, tool, json(args), agentType, "agent-1", "run-1", null));
    }

    private InvocationResult call(String tool, String args) {
        return call("repository", tool, args);
    }

    private InvocationResult succeeded(String tool, String args) {
        InvocationResult result = call(tool, args);
        assertThat(result.status()).as(tool + " " + result.error()).isEqualTo(InvocationResult.SUCCEEDED);
        return result;
    }

    private ProblemException refused(String agentType, String tool, String args) {
        Throwable t = catchThrowable(() -> call(agentType, tool, args));
        return Refusals.asProblem(t);
    }

    private static String write(String path, String content) {
        return FEATURE + ",\"path\":" + Fixtures.JSON.valueToTree(path) + ",\"content\":"
                + Fixtures.JSON.valueToTree(content) + "}";
    }

    private static String commit(String message) {
        return FEATURE + ",\"message\":\"" + message + "\"}";
    }

    private Path workingCopy() {
        return root.resolve(tenant).resolve("git/app/x");
    }

    private void cloneAndBranch() {
        assertThat(succeeded("git_clone", FEATURE + "}").output().path("cloned").asBoolean())
                .isTrue();
        InvocationResult branch = succeeded("git_branch", FEATURE + "}");
        assertThat(branch.output().path("branch").asText()).isEqualTo("feature/x");
        assertThat(branch.output().path("created").asBoolean()).isTrue();
    }

    @Test
    void cloneBranchWriteDiffCommitAsTheAgentAndPush() throws Exception {
        cloneAndBranch();
        assertThat(succeeded("git_read_file", FEATURE + ",\"path\":\"README.md\"}")
                        .output()
                        .path("content")
                        .asText())
                .startsWith("# app");
        succeeded("git_write_file", write("src/app.txt", "hello\n"));

        InvocationResult diff = succeeded("git_diff", FEATURE + "}");
        assertThat(diff.output().path("files").get(0).asText()).isEqualTo("src/app.txt");
        assertThat(diff.output().path("diff").asText()).contains("+hello");

        InvocationResult committed = succeeded("git_commit", commit("Add the app"));
        assertThat(committed.output().path("author").asText()).isEqualTo("devloop-agent/repository");
        try (Git local = Git.open(workingCopy().toFile())) {
            RevCommit head = local.log().setMaxCount(1).call().iterator().next();
            assertThat(head.getAuthorIdent().getName()).isEqualTo("devloop-agent/repository");
            assertThat(head.getAuthorIdent().getEmailAddress()).isEqualTo("agents@devloop.test");
            assertThat(head.getFullMessage()).isEqualTo("Add the app");
            assertThat(head.getName())
                    .isEqualTo(committed.output().path("commit").asText());
        }

        InvocationResult pushed = succeeded("git_push", FEATURE + "}");
        assertThat(pushed.output().path("branch").asText()).isEqualTo("feature/x");
        try (Git bare = Git.open(remote.remote.toFile())) {
            ObjectId tip = bare.getRepository().resolve("refs/heads/feature/x");
            assertThat(tip).isNotNull();
            assertThat(tip.getName())
                    .isEqualTo(committed.output().path("commit").asText());
        }
        assertThat(succeeded("git_diff", FEATURE + "}").output().path("files")).isEmpty();
    }

    @Test
    void aCommitHoldingAFakeAwsKeyIsRefusedWithFileAndLineThenTheFixedCommitIsAccepted() throws Exception {
        cloneAndBranch();
        String key = GitFixture.fakeAwsKeyId(7);
        succeeded("git_write_file", write("conf/app.env", "REGION=eu-west-1\nAWS_ACCESS_KEY_ID=" + key + "\n"));

        InvocationResult refused = call("git_commit", commit("Configure the app"));

        assertThat(refused.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(refused.error()).contains("{file: conf/app.env, line: 2, rule: aws-access-key-id}");
        assertThat(scanRefusals).containsExactly("commit/aws-access-key-id");
        assertThat(refused.toString()).doesNotContain(key);
        assertThat(audit.recorded).isNotEmpty().allSatisfy(a -> assertThat(a.toString())
                .doesNotContain(key));
        assertThat(audit.published).isNotEmpty().allSatisfy(a -> assertThat(a.toString())
                .doesNotContain(key));
        try (Git local = Git.open(workingCopy().toFile())) {
            assertThat(local.log()
                            .setMaxCount(1)
                            .call()
                            .iterator()
                            .next()
                            .getAuthorIdent()
                            .getName())
                    .isEqualTo("seed");
            assertThat(local.status().call().getAdded()).as("unstaged again").isEmpty();
        }

        succeeded(
                "git_write_file", write("conf/app.env", "REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID}\n"));
        InvocationResult accepted = succeeded("git_commit", commit("Configure the app"));
        assertThat(accepted.output().path("files").get(0).asText()).isEqualTo("conf/app.env");
    }

    @Test
    void aPushOfCommitsHoldingASecretIsRefused() throws Exception {
        cloneAndBranch();
        succeeded("git_write_file", write("ok.txt", "fine\n"));
        succeeded("git_commit", commit("Fine"));
        // committed around the tool (e.g. by hand in the working copy): the push scan still sees it
        String token = "gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        Files.writeString(workingCopy().resolve("deploy.sh"), "#!/bin/sh\n\nexport GH=" + token + "\n");
        try (Git local = Git.open(workingCopy().toFile())) {
            local.add().addFilepattern("deploy.sh").call();
            PersonIdent someone = new PersonIdent("someone", "someone@devloop.test");
            local.commit()
                    .setMessage("deploy")
                    .setAuthor(someone)
                    .setCommitter(someone)
                    .setSign(false)
                    .call();
        }

        InvocationResult refused = call("git_push", FEATURE + "}");

        assertThat(refused.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(refused.error())
                .contains("secret scan refused the push")
                .contains("{file: deploy.sh, line: 3, rule: github-token}")
                .doesNotContain(token);
        assertThat(scanRefusals).containsExactly("push/github-token");
        try (Git bare = Git.open(remote.remote.toFile())) {
            assertThat(bare.getRepository().resolve("refs/heads/feature/x")).isNull();
        }
    }

    @Test
    void aMergeConflictIsReportedWithTheFilesAndAborted() throws Exception {
        cloneAndBranch();
        succeeded("git_write_file", write("README.md", "# app\n\nline three, feature side\n"));
        String head = succeeded("git_commit", commit("Feature README"))
                .output()
                .path("commit")
                .asText();
        remote.commitOnMain("README.md", "# app\n\nline three, main side\n", "Main README");

        InvocationResult merged = call("git_merge", FEATURE + ",\"branch\":\"main\"}");

        assertThat(merged.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(merged.error()).contains("conflicts in [README.md]").contains("aborted");
        try (Git local = Git.open(workingCopy().toFile())) {
            assertThat(local.getRepository().getRepositoryState()).isEqualTo(RepositoryState.SAFE);
            assertThat(local.getRepository().resolve("HEAD").getName()).isEqualTo(head);
            assertThat(local.status().call().isClean()).isTrue();
        }
    }

    @Test
    void aCleanMergeIsCommittedAsTheAgent() throws Exception {
        cloneAndBranch();
        succeeded("git_write_file", write("feature.txt", "feature\n"));
        succeeded("git_commit", commit("Feature"));
        remote.commitOnMain("main.txt", "main\n", "Main");

        InvocationResult merged = succeeded("git_merge", FEATURE + ",\"branch\":\"main\"}");

        assertThat(merged.output().path("status").asText()).isEqualTo("MERGED");
        assertThat(Files.readString(workingCopy().resolve("main.txt"))).isEqualTo("main\n");
        try (Git local = Git.open(workingCopy().toFile())) {
            RevCommit head = local.log().setMaxCount(1).call().iterator().next();
            assertThat(head.getParentCount()).isEqualTo(2);
            assertThat(head.getAuthorIdent().getName()).isEqualTo("devloop-agent/repository");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../../../other/secret.txt",
                "/etc/passwd",
                "src/../../x",
                ".git/config",
                ".git/hooks/pre-commit",
                "sub/.GIT/config",
                "..%2F..%2Fx"
            })
    void traversalAndGitMetadataAreRefused(String path) {
        cloneAndBranch();
        for (String tool : List.of("git_read_file", "git_write_file")) {
            ProblemException e = refused(
                    "repository",
                    tool,
                    write(path, "x").replace(tool.equals("git_read_file") ? ",\"content\":\"x\"" : "\u0000", ""));
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo("path");
        }
    }

    @Test
    void theFilesystemToolsCannotReachGitMetadata() {
        cloneAndBranch();
        ProblemException e = refused("repair", "write_file", "{\"path\":\"git/app/x/.git/config\",\"content\":\"x\"}");
        assertThat(e.problem().field()).isEqualTo("path");
    }

    @Test
    void onlyConfiguredRepositoriesAndBranchSafeFeatureIds() {
        assertThat(refused("repository", "git_clone", "{\"repository\":\"other\",\"featureId\":\"x\"}")
                        .problem()
                        .field())
                .isEqualTo("repository");
        assertThat(refused("repository", "git_clone", "{\"repository\":\"app\",\"featureId\":\"a..b\"}")
                        .problem()
                        .field())
                .isEqualTo("featureId");
        assertThat(refused(
                                "repository",
                                "git_clone",
                                "{\"repository\":\"https://evil.example/x.git\",\"featureId\":\"x\"}")
                        .problem()
                        .status())
                .isEqualTo(400);
    }

    @Test
    void agentTypesArePermittedPerTool() {
        cloneAndBranch();
        assertThat(refused("assistant", "git_clone", FEATURE + "}").problem().status())
                .isEqualTo(403);
        assertThat(refused("cicd", "git_commit", commit("nope")).problem().status())
                .isEqualTo(403);
        assertThat(refused("pr_manager", "git_push", FEATURE + "}").problem().status())
                .isEqualTo(403);
        assertThat(call("cicd", "git_diff", FEATURE + "}").status()).isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(call("pr_manager", "git_read_file", FEATURE + ",\"path\":\"README.md\"}")
                        .status())
                .isEqualTo(InvocationResult.SUCCEEDED);
        assertThat(call("delivery", "git_write_file", write("d.txt", "d")).status())
                .isEqualTo(InvocationResult.SUCCEEDED);
    }

    @Test
    void boundsAndOrderAreEnforced() {
        InvocationResult early = call("git_read_file", FEATURE + ",\"path\":\"README.md\"}");
        assertThat(early.status()).isEqualTo(InvocationResult.FAILED);
        assertThat(early.error()).contains("call git_clone first");
        cloneAndBranch();
        assertThat(call("git_commit", commit("Nothing")).error()).contains("nothing to commit");
        assertThat(call("git_write_file", write("big.txt", "x".repeat(5000))).error())
                .contains("at most 4096");
        for (int i = 0; i < 6; i++) {
            succeeded("git_write_file", write("many/f" + i + ".txt", "f" + i));
        }
        assertThat(call("git_commit", commit("Too many")).error()).contains("at most 5");
        assertThat(refused("repository", "git_commit", FEATURE + ",\"message\":\"" + "m".repeat(401) + "\"}")
                        .problem()
                        .field())
                .isEqualTo("message");
    }
}
