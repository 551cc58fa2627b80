package dev.devloop.tools.adapters.out.git;

import dev.devloop.contracts.Tenants;
import dev.devloop.tools.domain.AddedLine;
import dev.devloop.tools.domain.GitRemote;
import dev.devloop.tools.domain.UnifiedDiff;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.GitPort;
import dev.devloop.tools.ports.out.WorkspacePort.PathRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.CheckoutCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand.FastForwardMode;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;

/**
 * Git working copies over Eclipse JGit at {@code <root>/<tenant>/git/<repository>/<feature>}, inside the same
 * jail as the filesystem tools. Each operation runs on a worker under a deadline and holds the working copy's
 * lock; hooks never run (commits skip verification, and the filesystem tools refuse {@code .git} paths).
 * Transport errors are reported by remote name and exception type only: URLs and credentials stay here.
 */
public class JGitWorkspaces implements GitPort, AutoCloseable {
    private static final String ORIGIN = "refs/remotes/origin/";
    private static final int LOCK_STRIPES = 64;
    private static final int MAX_REPORTED_COMMITS = 100;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final GitRemotes remotes;
    private final long timeoutMs;
    private final int maxScanBytes;
    private final ExecutorService worker;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    public JGitWorkspaces(
            Path root, Map<String, GitRemote> remotes, long timeoutMs, int maxScanBytes, ExecutorService worker) {
        this(root, GitRemotes.of(remotes), timeoutMs, maxScanBytes, worker);
    }

    public JGitWorkspaces(Path root, GitRemotes remotes, long timeoutMs, int maxScanBytes, ExecutorService worker) {
        this.root = root.toAbsolutePath().normalize();
        this.remotes = remotes;
        this.timeoutMs = timeoutMs;
        this.maxScanBytes = maxScanBytes;
        this.worker = worker;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public Status open(Workspace workspace, String remote) {
        return run("clone", workspace, dir -> {
            GitRemote r = remote(workspace, remote);
            if (Files.isDirectory(dir.resolve(".git"), NOFOLLOW)) {
                try (Git git = Git.open(dir.toFile())) {
                    fetch(git, remote, r);
                    return status(git.getRepository(), false);
                }
            }
            if (Files.exists(dir, NOFOLLOW) && !isEmptyDirectory(dir)) {
                throw new DownstreamException(workspace.relativeDirectory() + " exists and is not a git working copy");
            }
            Files.createDirectories(dir);
            try (Git git = transport(
                            Git.cloneRepository()
                                    .setURI(r.url())
                                    .setDirectory(dir.toFile())
                                    .setCloneAllBranches(true),
                            remote,
                            r)
                    .call()) {
                return status(git.getRepository(), true);
            } catch (TransportException e) {
                deleteQuietly(dir);
                throw transportFailure("clone", remote, e);
            }
        });
    }

    @Override
    public Status checkout(Workspace workspace, String remote, String branch, String base) {
        return withGit("branch", workspace, git -> {
            Repository repo = git.getRepository();
            if (!Repository.isValidRefName(Constants.R_HEADS + branch)) {
                throw new DownstreamException(branch + " is not a valid branch name");
            }
            boolean created = repo.exactRef(Constants.R_HEADS + branch) == null;
            CheckoutCommand checkout = git.checkout().setName(branch);
            if (created) {
                String start = repo.exactRef(ORIGIN + branch) != null ? ORIGIN + branch : ORIGIN + base;
                if (repo.exactRef(start) == null) {
                    throw new DownstreamException("the remote has no branch " + base + " (is it empty?)");
                }
                checkout.setCreateBranch(true).setStartPoint(start);
            }
            checkout.call();
            return status(repo, created);
        });
    }

    @Override
    public Diff diff(Workspace workspace, int maxBytes, int maxFiles) {
        return withGit("diff", workspace, git -> {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            Repository repo = git.getRepository();
            BoundedOutput out = new BoundedOutput(maxScanBytes);
            List<String> files = new ArrayList<>();
            try (DiffFormatter formatter = new DiffFormatter(out)) {
                formatter.setRepository(repo);
                List<DiffEntry> entries = formatter.scan(headTree(repo), new DirCacheIterator(repo.readDirCache()));
                for (DiffEntry entry : entries) {
                    if (files.size() < maxFiles) {
                        files.add(
                                entry.getChangeType() == DiffEntry.ChangeType.DELETE
                                        ? entry.getOldPath()
                                        : entry.getNewPath());
                    }
                    formatter.format(entry);
                }
                formatter.flush();
                String text = out.text();
                String shown = text.length() > maxBytes ? cut(text, maxBytes) : text;
                boolean truncated = shown.length() < text.length() || entries.size() > files.size();
                return new Diff(shown, files, truncated, UnifiedDiff.addedLines(text));
            } catch (BoundedOutput.Overflow e) {
                throw new DownstreamException(
                        "the change is larger than " + maxScanBytes + " bytes of diff; too large to scan");
            }
        });
    }

    @Override
    public void unstage(Workspace workspace) {
        withGit("reset", workspace, git -> git.reset().call());
    }

    @Override
    public Commit commit(Workspace workspace, String message, String authorName, String authorEmail, int maxFiles) {
        return withGit("commit", workspace, git -> {
            Repository repo = git.getRepository();
            List<String> files = new ArrayList<>();
            try (DiffFormatter formatter = new DiffFormatter(OutputStream.nullOutputStream())) {
                formatter.setRepository(repo);
                for (DiffEntry e : formatter.scan(headTree(repo), new DirCacheIterator(repo.readDirCache()))) {
                    files.add(e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath());
                }
            }
            if (files.isEmpty()) {
                throw new DownstreamException("nothing to commit: the workspace matches HEAD");
            }
            if (files.size() > maxFiles) {
                git.reset().call();
                throw new DownstreamException(
                        "the commit would change " + files.size() + " files; at most " + maxFiles);
            }
            PersonIdent author = new PersonIdent(authorName, authorEmail);
            RevCommit commit = git.commit()
                    .setMessage(message)
                    .setAuthor(author)
                    .setCommitter(author)
                    .setNoVerify(true)
                    .setSign(false)
                    .call();
            return new Commit(commit.getName(), repo.getBranch(), files);
        });
    }

    @Override
    public Merge merge(Workspace workspace, String remote, String branch, String authorName, String authorEmail) {
        return withGit("merge", workspace, git -> {
            Repository repo = git.getRepository();
            if (git.status().call().hasUncommittedChanges()) {
                throw new DownstreamException("the workspace has uncommitted changes; commit them before merging");
            }
            fetch(git, remote, remote(workspace, remote));
            Ref source = repo.exactRef(ORIGIN + branch);
            if (source == null) {
                source = repo.exactRef(Constants.R_HEADS + branch);
            }
            if (source == null) {
                throw new DownstreamException("no branch " + branch + " here or on the remote");
            }
            String current = repo.getBranch();
            MergeResult result = git.merge()
                    .include(source)
                    .setCommit(false)
                    .setFastForward(FastForwardMode.FF)
                    .call();
            switch (result.getMergeStatus()) {
                case CONFLICTING -> {
                    List<String> conflicts =
                            new ArrayList<>(new TreeSet<>(result.getConflicts().keySet()));
                    git.reset().setMode(ResetType.HARD).call();
                    return new Merge("CONFLICTING", head(repo), conflicts);
                }
                case FAILED -> {
                    git.reset().setMode(ResetType.HARD).call();
                    throw new DownstreamException("the merge failed on "
                            + (result.getFailingPaths() == null
                                    ? List.of()
                                    : new TreeSet<>(result.getFailingPaths().keySet())));
                }
                case MERGED_NOT_COMMITTED -> {
                    PersonIdent author = new PersonIdent(authorName, authorEmail);
                    git.commit()
                            .setMessage("Merge " + branch + " into " + current)
                            .setAuthor(author)
                            .setCommitter(author)
                            .setNoVerify(true)
                            .setSign(false)
                            .call();
                    return new Merge("MERGED", head(repo), List.of());
                }
                default -> {
                    return new Merge(result.getMergeStatus().name(), head(repo), List.of());
                }
            }
        });
    }

    @Override
    public List<AddedLine> unpushed(Workspace workspace, String remote, int maxCommits, int maxBytes) {
        return withGit("scan", workspace, git -> {
            Repository repo = git.getRepository();
            GitRemote r = remote(workspace, remote);
            Collection<Ref> remoteRefs;
            try {
                remoteRefs = transport(git.lsRemote().setRemote(r.url()).setHeads(true), remote, r)
                        .call();
            } catch (TransportException e) {
                throw transportFailure("ls-remote", remote, e);
            }
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return List.of();
            }
            List<AddedLine> added = new ArrayList<>();
            BoundedOutput out = new BoundedOutput(Math.min(maxBytes, maxScanBytes));
            try (RevWalk walk = new RevWalk(repo);
                    DiffFormatter formatter = new DiffFormatter(out)) {
                formatter.setRepository(repo);
                walk.markStart(walk.parseCommit(head));
                for (Ref ref : remoteRefs) {
                    if (ref.getObjectId() != null && repo.getObjectDatabase().has(ref.getObjectId())) {
                        walk.markUninteresting(walk.parseCommit(ref.getObjectId()));
                    }
                }
                int count = 0;
                for (RevCommit commit : walk) {
                    if (++count > maxCommits) {
                        throw new DownstreamException(
                                "more than " + maxCommits + " commits are not on the remote yet; too many to scan");
                    }
                    AbstractTreeIterator parent = commit.getParentCount() == 0
                            ? new EmptyTreeIterator()
                            : tree(repo, walk.parseCommit(commit.getParent(0)).getTree());
                    formatter.format(parent, tree(repo, commit.getTree()));
                    formatter.flush();
                    added.addAll(UnifiedDiff.addedLines(out.text()));
                    out.reset();
                }
            } catch (BoundedOutput.Overflow e) {
                throw new DownstreamException(
                        "the commits to push are larger than " + out.limit() + " bytes of diff; too large to scan");
            }
            return added;
        });
    }

    @Override
    public Push push(Workspace workspace, String remote) {
        return withGit("push", workspace, git -> {
            Repository repo = git.getRepository();
            String branch = repo.getBranch();
            if (repo.exactRef(Constants.R_HEADS + branch) == null) {
                throw new DownstreamException("HEAD is not on a branch with commits; nothing to push");
            }
            GitRemote r = remote(workspace, remote);
            Collection<Ref> remoteRefs;
            try {
                remoteRefs = transport(git.lsRemote().setRemote(r.url()).setHeads(true), remote, r)
                        .call();
            } catch (TransportException e) {
                throw transportFailure("ls-remote", remote, e);
            }
            String before = null;
            for (Ref ref : remoteRefs) {
                if (ref.getName().equals(Constants.R_HEADS + branch) && ref.getObjectId() != null) {
                    before = ref.getObjectId().getName();
                }
            }
            Iterable<PushResult> results;
            try {
                results = transport(
                                git.push()
                                        .setRemote(r.url())
                                        .setRefSpecs(new RefSpec(
                                                Constants.R_HEADS + branch + ":" + Constants.R_HEADS + branch)),
                                remote,
                                r)
                        .call();
            } catch (TransportException e) {
                throw transportFailure("push", remote, e);
            }
            String status = "OK";
            for (PushResult result : results) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    RemoteRefUpdate.Status s = update.getStatus();
                    if (s != RemoteRefUpdate.Status.OK && s != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new DownstreamException(
                                "the remote '" + remote + "' refused the push of " + branch + ": " + s);
                    }
                    status = s.name();
                }
            }
            List<String> pushed = pushedCommits(repo, remoteRefs, head(repo));
            fetch(git, remote, r);
            return new Push(branch, status, before, pushed);
        });
    }

    /** The commits from {@code head} the remote did not have before the push (newest first, at most 100). */
    private static List<String> pushedCommits(Repository repo, Collection<Ref> remoteRefs, String head)
            throws IOException {
        List<String> commits = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            for (Ref ref : remoteRefs) {
                if (ref.getObjectId() != null && repo.getObjectDatabase().has(ref.getObjectId())) {
                    walk.markUninteresting(walk.parseCommit(ref.getObjectId()));
                }
            }
            for (RevCommit commit : walk) {
                if (commits.size() >= MAX_REPORTED_COMMITS) {
                    break;
                }
                commits.add(commit.getName());
            }
        }
        if (commits.isEmpty()) {
            commits.add(head);
        }
        return commits;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    // --- plumbing

    private interface GitWork<T> {
        T apply(Git git) throws Exception;
    }

    private interface DirWork<T> {
        T apply(Path dir) throws Exception;
    }

    private <T> T withGit(String op, Workspace workspace, GitWork<T> work) {
        return run(op, workspace, dir -> {
            if (!Files.isDirectory(dir.resolve(".git"), NOFOLLOW)) {
                throw new DownstreamException("no working copy of " + workspace.repository() + " for feature "
                        + workspace.feature() + "; call git_clone first");
            }
            try (Git git = Git.open(dir.toFile())) {
                return work.apply(git);
            } catch (RepositoryNotFoundException e) {
                throw new DownstreamException("the working copy is damaged; clone it again");
            }
        });
    }

    /** Runs on the worker under the deadline, holding the working copy's lock. */
    private <T> T run(String op, Workspace workspace, DirWork<T> work) {
        Callable<T> task = () -> {
            Path dir = directory(workspace);
            ReentrantLock lock = locks[Math.floorMod(dir.toString().hashCode(), LOCK_STRIPES)];
            if (!lock.tryLock(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new DownstreamException("the working copy is busy with another git operation");
            }
            try {
                return work.apply(dir);
            } finally {
                lock.unlock();
            }
        };
        Future<T> future = worker.submit(task);
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DownstreamException("git " + op + " timed out after " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DownstreamException("git " + op + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DownstreamException || cause instanceof PathRejectedException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof GitAPIException) {
                throw new DownstreamException(
                        "git " + op + " failed: " + withoutUrls(String.valueOf(cause.getMessage())));
            }
            throw new DownstreamException(
                    "git " + op + " failed: " + cause.getClass().getSimpleName());
        }
    }

    /** Remote URLs are configuration, never shown to an agent: each becomes its remote's name. */
    private String withoutUrls(String message) {
        return remotes.hide(message);
    }

    /** {@code <root>/<tenant>/git/<repository>/<feature>}, checked to stay a plain directory tree under the root. */
    private Path directory(Workspace workspace) throws IOException {
        if (workspace.tenant() == null
                || !Tenants.PATTERN.matcher(workspace.tenant()).matches()) {
            throw new PathRejectedException("tenant is not a valid workspace name");
        }
        Files.createDirectories(root);
        Path current = root.toRealPath();
        for (String segment : List.of(workspace.tenant(), "git", workspace.repository(), workspace.feature())) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("/")) {
                throw new PathRejectedException("'" + segment + "' is not a valid directory name");
            }
            Path next = current.resolve(segment);
            if (Files.isSymbolicLink(next)) {
                throw new PathRejectedException(workspace.relativeDirectory() + " passes through a symbolic link");
            }
            if (Files.exists(next, NOFOLLOW) && !Files.isDirectory(next, NOFOLLOW)) {
                throw new PathRejectedException("'" + segment + "' on the way to the working copy is not a directory");
            }
            current = next;
        }
        Files.createDirectories(current.getParent());
        return current;
    }

    private GitRemote remote(Workspace workspace, String name) {
        GitRemote r = remotes.resolve(workspace.tenant(), name);
        if (r == null) {
            throw new DownstreamException("no remote named " + name + " is configured");
        }
        return r;
    }

    private <C extends TransportCommand<C, ?>> C transport(C command, String name, GitRemote remote) {
        command.setTimeout((int) Math.max(1, timeoutMs / 1000));
        remote.credentials()
                .ifPresent(c -> command.setCredentialsProvider(
                        new UsernamePasswordCredentialsProvider(c.username(), c.password())));
        return command;
    }

    private void fetch(Git git, String name, GitRemote remote) throws GitAPIException {
        try {
            transport(
                            git.fetch()
                                    .setRemote(remote.url())
                                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*")),
                            name,
                            remote)
                    .call();
        } catch (TransportException e) {
            throw transportFailure("fetch", name, e);
        }
    }

    private static DownstreamException transportFailure(String op, String remote, TransportException e) {
        return new DownstreamException("git " + op + " against remote '" + remote + "' failed (" + rootCause(e) + ")");
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    private static AbstractTreeIterator headTree(Repository repo) throws IOException {
        ObjectId tree = repo.resolve(Constants.HEAD + "^{tree}");
        return tree == null ? new EmptyTreeIterator() : tree(repo, tree);
    }

    private static AbstractTreeIterator tree(Repository repo, ObjectId tree) throws IOException {
        CanonicalTreeParser parser = new CanonicalTreeParser();
        try (ObjectReader reader = repo.newObjectReader()) {
            parser.reset(reader, tree);
        }
        return parser;
    }

    private static Status status(Repository repo, boolean created) throws IOException {
        return new Status(repo.getBranch(), head(repo), created);
    }

    private static String head(Repository repo) throws IOException {
        ObjectId head = repo.resolve(Constants.HEAD);
        return head == null ? null : head.getName();
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a half-made clone left behind is refused on the next clone as "not a git working copy"
        }
    }

    /** Cuts UTF-8 text to at most {@code maxBytes} bytes without splitting a character. */
    static String cut(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        String cut = new String(bytes, 0, maxBytes, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }

    /** An in-memory stream that refuses to grow past its limit. */
    static final class BoundedOutput extends ByteArrayOutputStream {
        static final class Overflow extends RuntimeException {
            Overflow() {
                super(null, null, false, false);
            }
        }

        private final int limit;

        BoundedOutput(int limit) {
            this.limit = limit;
        }

        int limit() {
            return limit;
        }

        @Override
        public synchronized void write(int b) {
            if (count + 1 > limit) {
                throw new Overflow();
            }
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + len > limit) {
                throw new Overflow();
            }
            super.write(b, off, len);
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
