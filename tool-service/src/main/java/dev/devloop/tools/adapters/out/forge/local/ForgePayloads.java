package dev.devloop.tools.adapters.out.forge.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The webhook payloads GitHub sends, in the shape and with the fields knowledge-service reads (docs/delivery.md,
 * "Forge events in"), built from the local forge's records.
 */
final class ForgePayloads {
    static final String SENDER = "devloop-local-forge";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String urlBase;

    ForgePayloads(String urlBase) {
        this.urlBase = urlBase.endsWith("/") ? urlBase.substring(0, urlBase.length() - 1) : urlBase;
    }

    String repositoryUrl(String tenant, String repository) {
        return urlBase + "/" + tenant + "/" + repository;
    }

    String pullUrl(String tenant, String repository, int number) {
        return repositoryUrl(tenant, repository) + "/pull/" + number;
    }

    String issueUrl(String tenant, String repository, int number) {
        return repositoryUrl(tenant, repository) + "/issues/" + number;
    }

    String checkUrl(String tenant, String repository, String id) {
        return repositoryUrl(tenant, repository) + "/runs/" + id;
    }

    ObjectNode pullRequest(String action, ForgeRecords.Pull p, String baseSha) {
        ObjectNode payload = envelope(action, p.tenant(), p.repository()).put("number", p.number());
        payload.set("pull_request", pull(p, baseSha));
        return payload;
    }

    ObjectNode synchronize(ForgeRecords.Pull p, String before, String after, String baseSha) {
        ObjectNode payload = pullRequest("synchronize", p, baseSha);
        payload.put("before", before).put("after", after);
        return payload;
    }

    ObjectNode review(ForgeRecords.Pull p, ForgeRecords.Review r, String baseSha) {
        ObjectNode payload = envelope("submitted", p.tenant(), p.repository());
        payload.putObject("review")
                .put("id", r.id())
                .put("state", r.state().toLowerCase(java.util.Locale.ROOT))
                .put("body", r.body())
                .put("commit_id", p.headSha())
                .put("submitted_at", text(r.at()))
                .put("html_url", pullUrl(p.tenant(), p.repository(), p.number()) + "#pullrequestreview-" + r.id())
                .putObject("user")
                .put("login", r.author());
        payload.set("pull_request", pull(p, baseSha));
        return payload;
    }

    ObjectNode push(
            String tenant,
            String repository,
            String branch,
            String before,
            String after,
            List<String> commits,
            Instant at) {
        ObjectNode payload = JSON.objectNode()
                .put("ref", "refs/heads/" + branch)
                .put("before", before == null ? "0".repeat(40) : before)
                .put("after", after)
                .put("created", before == null)
                .put("deleted", false)
                .put("forced", false)
                .put(
                        "compare",
                        repositoryUrl(tenant, repository) + "/compare/" + (before == null ? "" : before + "...")
                                + after);
        ArrayNode list = payload.putArray("commits");
        for (String id : commits) {
            list.addObject()
                    .put("id", id)
                    .put("distinct", true)
                    .put("timestamp", text(at))
                    .put("url", repositoryUrl(tenant, repository) + "/commit/" + id);
        }
        if (!commits.isEmpty()) {
            payload.set("head_commit", list.get(0).deepCopy());
        }
        payload.set("repository", repository(tenant, repository));
        payload.putObject("pusher").put("name", SENDER);
        payload.putObject("sender").put("login", SENDER);
        return payload;
    }

    ObjectNode checkRun(ForgeRecords.Check c) {
        ObjectNode payload = envelope("completed", c.tenant(), c.repository());
        ObjectNode run = payload.putObject("check_run")
                .put("id", Long.parseLong(c.id()))
                .put("name", c.name())
                .put("head_sha", c.headSha())
                .put("status", c.status())
                .put("conclusion", c.conclusion())
                .put("started_at", text(c.startedAt()))
                .put("completed_at", text(c.completedAt()))
                .put("html_url", checkUrl(c.tenant(), c.repository(), c.id()))
                .put("details_url", checkUrl(c.tenant(), c.repository(), c.id()));
        run.putObject("output").put("title", c.name() + " " + c.conclusion()).put("summary", c.summary());
        run.putObject("check_suite")
                .put("head_branch", c.branch())
                .put("head_sha", c.headSha())
                .put("status", c.status())
                .put("conclusion", c.conclusion());
        ArrayNode pulls = run.putArray("pull_requests");
        if (c.pullNumber() != null) {
            ObjectNode pr = pulls.addObject()
                    .put("number", c.pullNumber())
                    .put("url", pullUrl(c.tenant(), c.repository(), c.pullNumber()));
            pr.putObject("head").put("ref", c.branch()).put("sha", c.headSha());
        }
        run.putObject("app").put("slug", "devloop-local-forge");
        return payload;
    }

    ObjectNode issue(String action, ForgeRecords.Issue i, String label) {
        ObjectNode payload = envelope(action, i.tenant(), i.repository());
        ObjectNode issue = payload.putObject("issue")
                .put("number", i.number())
                .put("html_url", issueUrl(i.tenant(), i.repository(), i.number()))
                .put("state", i.state())
                .put("title", i.title())
                .put("body", i.body())
                .put("created_at", text(i.createdAt()))
                .put("updated_at", text(i.updatedAt()))
                .put("closed_at", text(i.closedAt()));
        ArrayNode labels = issue.putArray("labels");
        i.labels().forEach(l -> labels.addObject().put("name", l));
        issue.putObject("user").put("login", SENDER);
        if (label != null) {
            payload.putObject("label").put("name", label);
        }
        return payload;
    }

    private ObjectNode pull(ForgeRecords.Pull p, String baseSha) {
        boolean merged = "merged".equals(p.state());
        ObjectNode pr = JSON.objectNode()
                .put("id", p.number())
                .put("number", p.number())
                .put("url", pullUrl(p.tenant(), p.repository(), p.number()))
                .put("html_url", pullUrl(p.tenant(), p.repository(), p.number()))
                .put("state", "open".equals(p.state()) ? "open" : "closed")
                .put("title", p.title())
                .put("body", p.body())
                .put("draft", p.draft())
                .put("merged", merged)
                .put("merged_at", merged ? text(p.closedAt()) : null)
                .put("merge_commit_sha", p.mergeCommitSha())
                .put("closed_at", text(p.closedAt()))
                .put("created_at", text(p.createdAt()))
                .put("updated_at", text(p.updatedAt()));
        pr.putObject("user").put("login", SENDER);
        pr.putObject("head").put("ref", p.head()).put("sha", p.headSha()).put("label", p.tenant() + ":" + p.head());
        pr.putObject("base").put("ref", p.base()).put("sha", baseSha).put("label", p.tenant() + ":" + p.base());
        return pr;
    }

    private ObjectNode envelope(String action, String tenant, String repository) {
        ObjectNode payload = JSON.objectNode().put("action", action);
        payload.set("repository", repository(tenant, repository));
        payload.putObject("sender").put("login", SENDER);
        return payload;
    }

    private ObjectNode repository(String tenant, String repository) {
        ObjectNode repo = JSON.objectNode()
                .put("name", repository)
                .put("full_name", tenant + "/" + repository)
                .put("private", true)
                .put("html_url", repositoryUrl(tenant, repository));
        repo.putObject("owner").put("login", tenant);
        return repo;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
