package dev.devloop.tools.application;

import static dev.devloop.tools.application.WorkspaceCalls.guarded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.AddedLine;
import dev.devloop.tools.domain.SecretFinding;
import dev.devloop.tools.domain.SecretScanner;
import dev.devloop.tools.domain.WorkspacePath;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.GitPort;
import dev.devloop.tools.ports.out.ToolMetricsPort;
import dev.devloop.tools.ports.out.WorkspacePort;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The git tools (docs/delivery.md, "Git tools"): one working copy per (tenant, repository, feature) inside the
 * filesystem jail; an agent names a configured repository, never a URL. Every {@code git_commit} first scans the
 * lines the change adds, every {@code git_push} the lines of the commits the remote does not have: a finding
 * refuses the call with file, line and rule, never the matched text.
 */
public final class GitTools {
    public static final String CLONE = "git_clone";
    public static final String BRANCH = "git_branch";
    public static final String READ_FILE = "git_read_file";
    public static final String WRITE_FILE = "git_write_file";
    public static final String DIFF = "git_diff";
    public static final String COMMIT = "git_commit";
    public static final String MERGE = "git_merge";
    public static final String PUSH = "git_push";
    public static final String AUTHOR_PREFIX = "devloop-agent/";
    /** Roadmap node ids (docs/roadmap.md) that are also valid in a branch name and a directory. */
    static final Pattern FEATURE_ID = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_-]|\\.(?!\\.)){0,127}");

    static final Pattern BRANCH_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final int MAX_REPORTED_FINDINGS = 50;

    private final GitPort git;
    private final WorkspacePort workspace;
    private final SecretScanner scanner;
    private final GitSettings settings;
    private final WorkspaceSettings workspaceSettings;
    private final ToolMetricsPort metrics;
    private final GitPushListener pushes;

    public GitTools(
            GitPort git,
            WorkspacePort workspace,
            SecretScanner scanner,
            GitSettings settings,
            WorkspaceSettings workspaceSettings) {
        this(git, workspace, scanner, settings, workspaceSettings, ToolMetricsPort.NONE);
    }

    public GitTools(
            GitPort git,
            WorkspacePort workspace,
            SecretScanner scanner,
            GitSettings settings,
            WorkspaceSettings workspaceSettings,
            ToolMetricsPort metrics) {
        this(git, workspace, scanner, settings, workspaceSettings, metrics, GitPushListener.NONE);
    }

    public GitTools(
            GitPort git,
            WorkspacePort workspace,
            SecretScanner scanner,
            GitSettings settings,
            WorkspaceSettings workspaceSettings,
            ToolMetricsPort metrics,
            GitPushListener pushes) {
        this.pushes = pushes;
        this.metrics = metrics;
        this.git = git;
        this.workspace = workspace;
        this.scanner = scanner;
        this.settings = settings;
        this.workspaceSettings = workspaceSettings;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                ToolExecutor.ofNative(CLONE, this::cloneOrOpen),
                ToolExecutor.ofNative(BRANCH, this::branch),
                ToolExecutor.ofNative(READ_FILE, this::readFile),
                ToolExecutor.ofNative(WRITE_FILE, this::writeFile),
                ToolExecutor.ofNative(DIFF, this::diff),
                ToolExecutor.ofNative(COMMIT, this::commit),
                ToolExecutor.ofNative(MERGE, this::merge),
                ToolExecutor.ofNative(PUSH, this::push));
    }

    private JsonNode cloneOrOpen(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        GitPort.Status status = guarded(() -> git.open(ws, ws.repository()));
        return described(ws, status).put("cloned", status.created());
    }

    private JsonNode branch(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        String base = settings.defaultBranches().get(ws.repository());
        GitPort.Status status = guarded(() -> git.checkout(ws, ws.repository(), "feature/" + ws.feature(), base));
        return described(ws, status).put("created", status.created()).put("base", base);
    }

    private JsonNode readFile(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        WorkspacePath relative = path(call.arguments());
        String content = guarded(() -> {
            requireClone(call.tenant(), ws);
            return workspace.read(call.tenant(), inside(ws, relative), settings.maxFileBytes());
        });
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", ws.repository())
                .put("path", relative.toString())
                .put("content", content);
    }

    private JsonNode writeFile(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        WorkspacePath relative = path(call.arguments());
        String content = call.arguments().path("content").asText();
        long size = guarded(() -> {
            requireClone(call.tenant(), ws);
            return workspace.write(
                    call.tenant(),
                    inside(ws, relative),
                    content,
                    false,
                    settings.maxFileBytes(),
                    new WorkspacePort.Quota(workspaceSettings.maxTenantBytes(), workspaceSettings.maxTenantEntries()));
        });
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", ws.repository())
                .put("path", relative.toString())
                .put("size", size);
    }

    private JsonNode diff(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        GitPort.Diff diff = guarded(() -> git.diff(ws, settings.maxDiffBytes(), settings.maxDiffFiles()));
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("repository", ws.repository());
        ArrayNode files = out.putArray("files");
        diff.files().forEach(files::add);
        return out.put("diff", diff.text()).put("truncated", diff.truncated());
    }

    private JsonNode commit(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        String message = call.arguments().path("message").asText("").strip();
        if (message.isEmpty()) {
            throw ToolRefusal.invalid("message", "message is required");
        }
        if (message.length() > settings.maxMessageChars()) {
            throw ToolRefusal.invalid(
                    "message", "message must be at most " + settings.maxMessageChars() + " characters");
        }
        GitPort.Commit commit = guarded(() -> {
            GitPort.Diff diff = git.diff(ws, settings.maxDiffBytes(), settings.maxDiffFiles());
            List<AddedLine> scanned = new ArrayList<>(diff.added());
            String[] lines = message.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                scanned.add(new AddedLine("(commit message)", i + 1, lines[i]));
            }
            List<SecretFinding> findings = scanner.scan(scanned);
            if (!findings.isEmpty()) {
                git.unstage(ws);
                throw refused("commit", findings);
            }
            return git.commit(
                    ws, message, AUTHOR_PREFIX + call.agentType(), settings.authorEmail(), settings.maxCommitFiles());
        });
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("repository", ws.repository())
                .put("commit", commit.id())
                .put("branch", commit.branch())
                .put("author", AUTHOR_PREFIX + call.agentType());
        ArrayNode files = out.putArray("files");
        commit.files().forEach(files::add);
        return out;
    }

    private JsonNode merge(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        String branch = call.arguments().path("branch").asText("");
        if (!BRANCH_NAME.matcher(branch).matches() || branch.contains("..")) {
            throw ToolRefusal.invalid("branch", "branch must match " + BRANCH_NAME.pattern() + " without '..'");
        }
        GitPort.Merge merge = guarded(
                () -> git.merge(ws, ws.repository(), branch, AUTHOR_PREFIX + call.agentType(), settings.authorEmail()));
        if (!merge.conflicts().isEmpty()) {
            throw new ToolFailure("merging " + branch + " conflicts in " + merge.conflicts()
                    + "; the merge was aborted and the workspace is as before");
        }
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", ws.repository())
                .put("merged", branch)
                .put("status", merge.status())
                .put("head", merge.head());
    }

    private JsonNode push(ToolCall call) {
        GitPort.Workspace ws = workspaceOf(call);
        GitPort.Push push = guarded(() -> {
            List<SecretFinding> findings =
                    scanner.scan(git.unpushed(ws, ws.repository(), settings.maxPushCommits(), settings.maxScanBytes()));
            if (!findings.isEmpty()) {
                throw refused("push", findings);
            }
            return git.push(ws, ws.repository());
        });
        String head = push.commits().isEmpty() ? null : push.commits().get(0);
        ObjectNode out = JsonNodeFactory.instance
                .objectNode()
                .put("repository", ws.repository())
                .put("branch", push.branch())
                .put("status", push.status())
                .put("head", head);
        if (head != null && !head.equals(push.before())) {
            try {
                pushes.pushed(call.tenant(), ws.repository(), push.branch(), push.before(), head, push.commits())
                        .ifPresent(note -> out.put("forge", note));
            } catch (DownstreamException | ToolFailure e) {
                out.put("forge", "the push is on the remote, but the forge could not process it: " + e.getMessage());
            } catch (RuntimeException e) {
                out.put(
                        "forge",
                        "the push is on the remote, but the forge could not process it ("
                                + e.getClass().getSimpleName() + ")");
            }
        }
        return out;
    }

    /** The failure lists {file, line, rule} of each finding; the matched text is never part of it. */
    private ToolFailure refused(String what, List<SecretFinding> findings) {
        findings.stream().map(SecretFinding::rule).distinct().forEach(rule -> metrics.secretScanRefused(what, rule));
        StringBuilder text = new StringBuilder("secret scan refused the ")
                .append(what)
                .append(": ")
                .append(findings.size())
                .append(findings.size() == 1 ? " finding" : " findings")
                .append(" [");
        for (int i = 0; i < Math.min(findings.size(), MAX_REPORTED_FINDINGS); i++) {
            SecretFinding f = findings.get(i);
            text.append(i == 0 ? "" : ", ")
                    .append("{file: ")
                    .append(f.file())
                    .append(", line: ")
                    .append(f.line())
                    .append(", rule: ")
                    .append(f.rule())
                    .append('}');
        }
        if (findings.size() > MAX_REPORTED_FINDINGS) {
            text.append(", ...");
        }
        return new ToolFailure(text.append("]; remove the secrets (and rewrite the commits holding them)")
                .toString());
    }

    private GitPort.Workspace workspaceOf(ToolCall call) {
        JsonNode args = call.arguments();
        String repository = args.path("repository").asText("");
        if (!settings.defaultBranches().containsKey(repository)) {
            throw ToolRefusal.invalid(
                    "repository",
                    "repository must be one of the configured repositories "
                            + settings.defaultBranches().keySet());
        }
        String feature = args.path("featureId").asText("");
        if (!FEATURE_ID.matcher(feature).matches() || feature.endsWith(".lock") || feature.endsWith(".")) {
            throw ToolRefusal.invalid("featureId", "featureId must be a roadmap node id usable as a branch name");
        }
        return new GitPort.Workspace(call.tenant(), repository, feature);
    }

    private WorkspacePath path(JsonNode args) {
        return PathArgument.of(args, settings.maxPathChars(), false, "path must not enter the .git directory");
    }

    private static WorkspacePath inside(GitPort.Workspace ws, WorkspacePath relative) {
        List<String> segments = new ArrayList<>(List.of(ws.relativeDirectory().split("/")));
        segments.addAll(relative.segments());
        return new WorkspacePath(segments);
    }

    private void requireClone(String tenant, GitPort.Workspace ws) {
        try {
            workspace.list(tenant, inside(ws, new WorkspacePath(List.of(".git"))), 1);
        } catch (DownstreamException e) {
            throw new DownstreamException("no working copy of " + ws.repository() + " for feature " + ws.feature()
                    + "; call git_clone first");
        }
    }

    private static ObjectNode described(GitPort.Workspace ws, GitPort.Status status) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("repository", ws.repository())
                .put("featureId", ws.feature())
                .put("branch", status.branch())
                .put("head", status.head());
    }
}
