package dev.devloop.tools.adapters.out.forge.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.ForgeEventsPort;
import dev.devloop.tools.ports.out.ForgePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jboss.logging.Logger;

/**
 * The local forge (docs/delivery.md, "The forge port"): the tenant's bare repository per configured repository,
 * pull requests, reviews, issues and check runs as MongoDB records, merges as JGit merges inside the bare
 * repository, and checks that run the operator's check command in a fresh clone of the head commit. Every change
 * is published as the GitHub-shaped event on {@code devloop.forge.events}.
 */
public final class LocalForge implements ForgePort, AutoCloseable {
    public static final String KIND = "local";
    public static final String CHECK_NAME = "devloop/check";
    private static final Logger LOG = Logger.getLogger(LocalForge.class);
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final PersonIdent FORGE = new PersonIdent("Devloop local forge", "forge@devloop.invalid");
    private static final String AUTHOR = "devloop";
    /** How long past the check deadline an unfinished check counts as abandoned. */
    private static final long STALE_MARGIN_MS = 120_000;

    /** Operator settings: per repository its check command (absent = no checks) and the bounds of a check. */
    public record Settings(
            Map<String, List<String>> checkCommands,
            Path checksRoot,
            long checkTimeoutMs,
            int checkMaxOutputBytes,
            int checkMaxProcesses,
            String urlBase) {
        public Settings {
            checkCommands = Map.copyOf(checkCommands);
        }
    }

    private final BareRepositories repositories;
    private final ForgeRecords records;
    private final ForgeEventsPort events;
    private final ExecutorService checkers;
    private final Settings settings;
    private final Clock clock;
    private final ForgePayloads payloads;
    private final BiConsumer<String, Long> checkMetrics;

    /** {@code checkMetrics} receives each completed check's conclusion and duration in milliseconds. */
    public LocalForge(
            BareRepositories repositories,
            ForgeRecords records,
            ForgeEventsPort events,
            ExecutorService checkers,
            Settings settings,
            Clock clock,
            BiConsumer<String, Long> checkMetrics) {
        this.repositories = repositories;
        this.records = records;
        this.events = events;
        this.checkers = checkers;
        this.settings = settings;
        this.clock = clock;
        this.payloads = new ForgePayloads(settings.urlBase());
        this.checkMetrics = checkMetrics;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Checks still queued or running long past the check deadline (their runner is gone: tool-service stopped during
     * them) end as cancelled; at start, and whenever such a check is read.
     */
    public void cancelInterruptedChecks() {
        for (ForgeRecords.Check c : records.unfinished(staleBefore(), 1000)) {
            cancelStale(c);
        }
    }

    private Instant staleBefore() {
        return clock.instant().minusMillis(settings.checkTimeoutMs() + STALE_MARGIN_MS);
    }

    private void cancelStale(ForgeRecords.Check c) {
        complete(
                c,
                "cancelled",
                "the check's runner stopped while it was " + c.status().replace('_', ' ')
                        + " (tool-service restarted?); push again to run it anew",
                "",
                false,
                null,
                0);
    }

    // --- pull requests

    @Override
    public PullRequest openPullRequest(String tenant, String repository, NewPullRequest request) {
        String headSha;
        String baseSha;
        try (Repository repo = repositories.open(tenant, repository);
                RevWalk walk = new RevWalk(repo)) {
            Ref head = repo.exactRef(Constants.R_HEADS + request.head());
            if (head == null) {
                throw new ForgeException(
                        422, "the head branch " + request.head() + " does not exist on the forge; push it first");
            }
            Ref base = repo.exactRef(Constants.R_HEADS + request.base());
            if (base == null) {
                throw new ForgeException(422, "the base branch " + request.base() + " does not exist");
            }
            if (request.head().equals(request.base())) {
                throw new ForgeException(422, "head and base are the same branch");
            }
            RevCommit headCommit = walk.parseCommit(head.getObjectId());
            RevCommit baseCommit = walk.parseCommit(base.getObjectId());
            if (walk.isMergedInto(headCommit, baseCommit)) {
                throw new ForgeException(422, "no commits between " + request.base() + " and " + request.head());
            }
            headSha = headCommit.getName();
            baseSha = baseCommit.getName();
        } catch (IOException e) {
            throw failure("open the pull request", e);
        }
        Instant now = clock.instant();
        int number = (int) records.next(tenant, repository, "numbers");
        ForgeRecords.Pull pull = new ForgeRecords.Pull(
                tenant,
                repository,
                number,
                request.title(),
                request.body(),
                request.head(),
                request.base(),
                headSha,
                "open",
                request.draft(),
                null,
                now,
                now,
                null,
                List.of());
        if (!records.insert(pull)) {
            int open = records.openPullFor(tenant, repository, request.head())
                    .map(ForgeRecords.Pull::number)
                    .orElse(0);
            throw new ForgeException(422, "a pull request for " + request.head() + " is already open (#" + open + ")");
        }
        publish(tenant, repository, "pull_request", payloads.pullRequest("opened", pull, baseSha));
        startCheck(tenant, repository, request.head(), number, headSha);
        return view(pull);
    }

    @Override
    public PullRequest pullRequest(String tenant, String repository, int number) {
        return view(pull(tenant, repository, number));
    }

    @Override
    public Optional<PullRequest> openPullRequestFor(String tenant, String repository, String branch) {
        return records.openPullFor(tenant, repository, branch).map(this::view);
    }

    @Override
    public List<Review> reviews(String tenant, String repository, int number) {
        return pull(tenant, repository, number).reviews().stream()
                .map(r -> new Review(r.id(), r.state(), r.body(), r.author()))
                .toList();
    }

    @Override
    public Review review(String tenant, String repository, int number, String event, String body) {
        ForgeRecords.Pull pull = pull(tenant, repository, number);
        if (!"open".equals(pull.state())) {
            throw new ForgeException(
                    422, "pull request #" + number + " is " + pull.state() + "; it can no longer be reviewed");
        }
        String state =
                switch (event) {
                    case "APPROVE" -> "APPROVED";
                    case "REQUEST_CHANGES" -> "CHANGES_REQUESTED";
                    case "COMMENT" -> "COMMENTED";
                    default -> throw new ForgeException(422, "event must be APPROVE, REQUEST_CHANGES or COMMENT");
                };
        if (!"APPROVED".equals(state) && (body == null || body.isBlank())) {
            throw new ForgeException(422, "a " + event + " review needs a body");
        }
        ForgeRecords.Review review = new ForgeRecords.Review(
                records.next(tenant, repository, "reviews"), state, body == null ? "" : body, AUTHOR, clock.instant());
        records.addReview(tenant, repository, number, review);
        publish(tenant, repository, "pull_request_review", payloads.review(pull, review, null));
        return new Review(review.id(), review.state(), review.body(), review.author());
    }

    @Override
    public Merged merge(String tenant, String repository, int number, String method, Optional<String> expectedHeadSha) {
        ForgeRecords.Pull pull = pull(tenant, repository, number);
        if (!"open".equals(pull.state())) {
            throw new ForgeException(409, "pull request #" + number + " is " + pull.state() + ", not open");
        }
        ReentrantLock lock = repositories.lock(tenant, repository);
        lock.lock();
        String mergeSha;
        String headSha;
        String baseSha;
        List<String> brought;
        try (Repository repo = repositories.open(tenant, repository);
                RevWalk walk = new RevWalk(repo);
                ObjectInserter inserter = repo.newObjectInserter()) {
            Ref headRef = repo.exactRef(Constants.R_HEADS + pull.head());
            Ref baseRef = repo.exactRef(Constants.R_HEADS + pull.base());
            if (headRef == null || baseRef == null) {
                throw new ForgeException(
                        409, "the branch " + (headRef == null ? pull.head() : pull.base()) + " is gone");
            }
            RevCommit head = walk.parseCommit(headRef.getObjectId());
            RevCommit base = walk.parseCommit(baseRef.getObjectId());
            headSha = head.getName();
            baseSha = base.getName();
            if (expectedHeadSha.isPresent() && !expectedHeadSha.get().equalsIgnoreCase(headSha)) {
                throw new ForgeException(
                        409,
                        "the head of pull request #" + number + " moved: expected " + expectedHeadSha.get() + ", it is "
                                + headSha);
            }
            ObjectId result =
                    switch (method) {
                        case "merge" ->
                            commit(
                                    inserter,
                                    mergedTree(repo, base, head),
                                    List.of(base, head),
                                    FORGE,
                                    "Merge pull request #" + number + " from " + pull.head() + "\n\n" + pull.title());
                        case "squash" ->
                            commit(
                                    inserter,
                                    mergedTree(repo, base, head),
                                    List.of(base),
                                    FORGE,
                                    pull.title() + " (#" + number + ")\n\n" + pull.body());
                        case "rebase" -> rebase(repo, walk, inserter, base, head);
                        default -> throw new ForgeException(422, "method must be merge, squash or rebase");
                    };
            inserter.flush();
            RefUpdate update = repo.updateRef(Constants.R_HEADS + pull.base());
            update.setExpectedOldObjectId(base);
            update.setNewObjectId(result);
            update.setRefLogMessage("merge pull request #" + number, false);
            RefUpdate.Result r = update.update(walk);
            if (r != RefUpdate.Result.FAST_FORWARD && r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED) {
                throw new ForgeException(
                        409, "the base branch " + pull.base() + " moved during the merge (" + r + "); retry");
            }
            mergeSha = result.getName();
            brought = newCommits(walk, result, base);
        } catch (IOException e) {
            throw failure("merge", e);
        } finally {
            lock.unlock();
        }
        Instant now = clock.instant();
        if (!records.merged(tenant, repository, number, headSha, mergeSha, now)) {
            LogFields.of("tenant", tenant, "repository", repository, "number", number)
                    .warn(LOG, "pull request was closed while it was merged");
        }
        ForgeRecords.Pull merged = pull(tenant, repository, number);
        publish(
                tenant,
                repository,
                "push",
                payloads.push(tenant, repository, pull.base(), baseSha, mergeSha, brought, now));
        publish(tenant, repository, "pull_request", payloads.pullRequest("closed", merged, baseSha));
        return new Merged(
                true, mergeSha, "pull request #" + number + " merged into " + pull.base() + " (" + method + ")");
    }

    // --- issues

    @Override
    public Issue createIssue(String tenant, String repository, String title, String body, List<String> labels) {
        repositories.ensure(tenant, repository);
        Instant now = clock.instant();
        int number = (int) records.next(tenant, repository, "numbers");
        ForgeRecords.Issue issue = new ForgeRecords.Issue(
                tenant,
                repository,
                number,
                title,
                body,
                new ArrayList<>(new LinkedHashSet<>(labels)),
                "open",
                now,
                now,
                null);
        records.insert(issue);
        publish(tenant, repository, "issues", payloads.issue("opened", issue, null));
        return view(issue);
    }

    @Override
    public Issue addLabels(String tenant, String repository, int number, List<String> labels) {
        ForgeRecords.Issue before = issue(tenant, repository, number);
        List<String> added = labels.stream()
                .distinct()
                .filter(l -> !before.labels().contains(l))
                .toList();
        if (added.isEmpty()) {
            return view(before);
        }
        records.addLabels(tenant, repository, number, added, clock.instant());
        ForgeRecords.Issue after = issue(tenant, repository, number);
        for (String label : added) {
            publish(tenant, repository, "issues", payloads.issue("labeled", after, label));
        }
        return view(after);
    }

    @Override
    public Issue closeIssue(String tenant, String repository, int number) {
        issue(tenant, repository, number);
        if (records.close(tenant, repository, number, clock.instant())) {
            ForgeRecords.Issue closed = issue(tenant, repository, number);
            publish(tenant, repository, "issues", payloads.issue("closed", closed, null));
            return view(closed);
        }
        return view(issue(tenant, repository, number));
    }

    // --- checks

    @Override
    public List<Check> checks(String tenant, String repository, String ref, int limit) {
        String sha = resolve(tenant, repository, ref);
        List<ForgeRecords.Check> found = records.checks(tenant, repository, sha, limit);
        Instant staleBefore = staleBefore();
        if (found.stream()
                .anyMatch(c -> !"completed".equals(c.status()) && c.createdAt().isBefore(staleBefore))) {
            found.stream()
                    .filter(c ->
                            !"completed".equals(c.status()) && c.createdAt().isBefore(staleBefore))
                    .forEach(this::cancelStale);
            found = records.checks(tenant, repository, sha, limit);
        }
        return found.stream().map(this::view).toList();
    }

    @Override
    public CheckLog checkLog(String tenant, String repository, String checkId, int maxBytes) {
        ForgeRecords.Check check = records.check(tenant, repository, checkId)
                .orElseThrow(() -> new ForgeException(404, "no check " + checkId + " in repository " + repository));
        String output = check.output() == null ? "" : check.output();
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return new CheckLog(checkId, output, check.truncated());
        }
        int from = bytes.length - maxBytes;
        while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++;
        }
        return new CheckLog(checkId, new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8), true);
    }

    @Override
    public void branchPushed(
            String tenant, String repository, String branch, String before, String after, List<String> commits) {
        Instant now = clock.instant();
        publish(tenant, repository, "push", payloads.push(tenant, repository, branch, before, after, commits, now));
        Optional<ForgeRecords.Pull> open = records.openPullFor(tenant, repository, branch);
        if (open.isEmpty() || after.equals(open.get().headSha())) {
            return;
        }
        ForgeRecords.Pull pull = open.get();
        records.headMoved(tenant, repository, pull.number(), after, now);
        ForgeRecords.Pull moved = new ForgeRecords.Pull(
                pull.tenant(),
                pull.repository(),
                pull.number(),
                pull.title(),
                pull.body(),
                pull.head(),
                pull.base(),
                after,
                pull.state(),
                pull.draft(),
                null,
                pull.createdAt(),
                now,
                null,
                pull.reviews());
        publish(
                tenant,
                repository,
                "pull_request",
                payloads.synchronize(moved, pull.headSha(), after, resolveOrNull(tenant, repository, pull.base())));
        startCheck(tenant, repository, branch, pull.number(), after);
    }

    /** Whether the repository has a check command. */
    public boolean hasChecks(String repository) {
        return settings.checkCommands().containsKey(repository);
    }

    /** Records a queued check of {@code headSha} and hands it to a checker; no command configured → nothing. */
    void startCheck(String tenant, String repository, String branch, int pullNumber, String headSha) {
        List<String> command = settings.checkCommands().get(repository);
        if (command == null || command.isEmpty()) {
            return;
        }
        String id = String.valueOf(records.next(tenant, repository, "checks"));
        ForgeRecords.Check check = new ForgeRecords.Check(
                tenant,
                repository,
                id,
                CHECK_NAME,
                headSha,
                branch,
                pullNumber,
                "queued",
                null,
                null,
                null,
                false,
                null,
                clock.instant(),
                null,
                null);
        if (!records.insert(check)) {
            return;
        }
        try {
            checkers.execute(() -> runCheck(check, command));
        } catch (RejectedExecutionException e) {
            complete(check, "cancelled", "not run: the check queue is full", "", false, null, 0);
        }
    }

    private void runCheck(ForgeRecords.Check check, List<String> command) {
        Path dir = settings.checksRoot()
                .resolve(check.tenant())
                .resolve(check.id() + "-" + check.headSha().substring(0, 12));
        try {
            if (!records.started(check.tenant(), check.repository(), check.id(), clock.instant())) {
                return;
            }
            Path bare = repositories
                    .existing(check.tenant(), check.repository())
                    .orElseThrow(() -> new DownstreamException("the forge repository is gone"));
            BareRepositories.deleteQuietly(dir);
            Files.createDirectories(dir.getParent());
            try (Git git = Git.cloneRepository()
                    .setURI(bare.toUri().toString())
                    .setDirectory(dir.toFile())
                    .setNoCheckout(true)
                    .call()) {
                git.reset().setMode(ResetType.HARD).setRef(check.headSha()).call();
            }
            CheckProcess.Result result = CheckProcess.run(
                    command,
                    dir,
                    Map.of("DEVLOOP_CHECK_SHA", check.headSha(), "DEVLOOP_CHECK_BRANCH", check.branch()),
                    settings.checkTimeoutMs(),
                    settings.checkMaxOutputBytes(),
                    settings.checkMaxProcesses());
            complete(
                    check,
                    result.conclusion(),
                    "`" + String.join(" ", command) + "` " + result.summary(),
                    result.output(),
                    result.truncated(),
                    result.exitCode(),
                    result.durationMs());
        } catch (GitAPIException | IOException | DownstreamException e) {
            String why = "could not prepare a clone of " + check.headSha() + " ("
                    + e.getClass().getSimpleName() + ")";
            complete(check, "failure", why, why + "\n", false, null, 0);
        } catch (RuntimeException e) {
            LogFields.of("tenant", check.tenant(), "repository", check.repository(), "checkId", check.id())
                    .error(LOG, e, "check failed");
            complete(
                    check,
                    "failure",
                    "the check failed inside the forge (" + e.getClass().getSimpleName() + ")",
                    "",
                    false,
                    null,
                    0);
        } finally {
            BareRepositories.deleteQuietly(dir);
        }
    }

    private void complete(
            ForgeRecords.Check check,
            String conclusion,
            String summary,
            String output,
            boolean truncated,
            Integer exitCode,
            long durationMs) {
        ForgeRecords.Check done = records.completed(
                check.tenant(),
                check.repository(),
                check.id(),
                conclusion,
                summary,
                output,
                truncated,
                exitCode,
                clock.instant());
        if (done != null) {
            checkMetrics.accept(conclusion, durationMs);
            publish(check.tenant(), check.repository(), "check_run", payloads.checkRun(done));
        }
    }

    @Override
    public void close() {
        checkers.shutdownNow();
    }

    // --- plumbing

    private ForgeRecords.Pull pull(String tenant, String repository, int number) {
        return records.pull(tenant, repository, number)
                .orElseThrow(
                        () -> new ForgeException(404, "no pull request #" + number + " in repository " + repository));
    }

    private ForgeRecords.Issue issue(String tenant, String repository, int number) {
        return records.issue(tenant, repository, number)
                .orElseThrow(() -> new ForgeException(404, "no issue #" + number + " in repository " + repository));
    }

    /** A commit id (40 hex) as is, else a branch of the bare repository. */
    private String resolve(String tenant, String repository, String ref) {
        if (SHA.matcher(ref.toLowerCase(Locale.ROOT)).matches()) {
            return ref.toLowerCase(Locale.ROOT);
        }
        String sha = resolveOrNull(tenant, repository, ref);
        if (sha == null) {
            throw new ForgeException(404, "no branch " + ref + " in repository " + repository);
        }
        return sha;
    }

    private String resolveOrNull(String tenant, String repository, String branch) {
        try (Repository repo = repositories.open(tenant, repository)) {
            Ref ref = repo.exactRef(Constants.R_HEADS + branch);
            return ref == null ? null : ref.getObjectId().getName();
        } catch (IOException e) {
            throw failure("read the branch", e);
        }
    }

    private static ObjectId mergedTree(Repository repo, RevCommit base, RevCommit head) throws IOException {
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
        if (!merger.merge(base, head)) {
            TreeSet<String> paths = new TreeSet<>(merger.getUnmergedPaths());
            if (merger.getFailingPaths() != null) {
                paths.addAll(merger.getFailingPaths().keySet());
            }
            throw new ForgeException(
                    409, "merge conflict in " + paths + "; merge the base into the branch, resolve, push");
        }
        return merger.getResultTreeId();
    }

    /** Replays the head's commits (oldest first) on the base, in memory; the authors are kept. */
    private static ObjectId rebase(
            Repository repo, RevWalk walk, ObjectInserter inserter, RevCommit base, RevCommit head) throws IOException {
        List<RevCommit> commits = new ArrayList<>();
        try (RevWalk range = new RevWalk(repo)) {
            range.sort(RevSort.TOPO);
            range.markStart(range.parseCommit(head));
            range.markUninteresting(range.parseCommit(base));
            for (RevCommit c : range) {
                if (c.getParentCount() > 1) {
                    throw new ForgeException(
                            422, "the branch contains merge commits; merge or squash it instead of rebase");
                }
                commits.add(c);
            }
        }
        Collections.reverse(commits);
        ObjectId current = base;
        for (RevCommit c : commits) {
            RevCommit parent = walk.parseCommit(c.getParent(0));
            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
            merger.setBase(parent.getTree());
            if (!merger.merge(walk.parseCommit(current), c)) {
                throw new ForgeException(
                        409,
                        "rebase conflict in " + new TreeSet<>(merger.getUnmergedPaths()) + " replaying " + c.getName()
                                + "; merge the base into the branch, resolve, push");
            }
            CommitBuilder builder = new CommitBuilder();
            builder.setTreeId(merger.getResultTreeId());
            builder.setParentId(current);
            builder.setAuthor(c.getAuthorIdent());
            builder.setCommitter(FORGE);
            builder.setMessage(c.getFullMessage());
            current = inserter.insert(builder);
            inserter.flush();
        }
        return current;
    }

    private static ObjectId commit(
            ObjectInserter inserter, ObjectId tree, List<? extends ObjectId> parents, PersonIdent who, String message)
            throws IOException {
        CommitBuilder builder = new CommitBuilder();
        builder.setTreeId(tree);
        builder.setParentIds(parents.toArray(new ObjectId[0]));
        builder.setAuthor(who);
        builder.setCommitter(who);
        builder.setMessage(message);
        return inserter.insert(builder);
    }

    private static List<String> newCommits(RevWalk walk, ObjectId tip, ObjectId base) throws IOException {
        walk.reset();
        walk.markStart(walk.parseCommit(tip));
        walk.markUninteresting(walk.parseCommit(base));
        List<String> ids = new ArrayList<>();
        for (RevCommit c : walk) {
            if (ids.size() >= 100) {
                break;
            }
            ids.add(c.getName());
        }
        return ids;
    }

    private void publish(String tenant, String repository, String event, JsonNode payload) {
        try {
            events.publish(tenant, tenant + "/" + repository, event, payload);
        } catch (DownstreamException e) {
            LogFields.of("tenant", tenant, "repository", repository, "event", event, "error", e.getMessage())
                    .warn(LOG, "forge event was not published");
        }
    }

    private ForgeException failure(String what, IOException e) {
        return new ForgeException(
                502,
                "the local forge could not " + what + " ("
                        + repositories.hide(e.getClass().getSimpleName()) + ")");
    }

    private PullRequest view(ForgeRecords.Pull p) {
        return new PullRequest(
                p.number(),
                payloads.pullUrl(p.tenant(), p.repository(), p.number()),
                p.state(),
                p.title(),
                p.body(),
                p.head(),
                p.base(),
                p.headSha(),
                Optional.ofNullable(p.mergeCommitSha()));
    }

    private Issue view(ForgeRecords.Issue i) {
        return new Issue(
                i.number(),
                payloads.issueUrl(i.tenant(), i.repository(), i.number()),
                i.state(),
                i.title(),
                i.labels());
    }

    private Check view(ForgeRecords.Check c) {
        return new Check(
                c.id(),
                c.name(),
                "check_run",
                c.status(),
                Optional.ofNullable(c.conclusion()),
                payloads.checkUrl(c.tenant(), c.repository(), c.id()),
                c.summary() == null ? "" : c.summary(),
                c.headSha());
    }
}
