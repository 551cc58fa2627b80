package dev.devloop.tools.adapters.out.forge.local;

import dev.devloop.contracts.Tenants;
import dev.devloop.tools.domain.GitRemote;
import dev.devloop.tools.ports.out.DownstreamException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The local forge's bare repositories, one per (tenant, repository) at {@code <root>/<tenant>/<repository>.git},
 * created on first use as a copy of every branch of the operator's seed remote. A half-made copy never becomes
 * visible: it is fetched into a temporary directory and moved into place.
 */
public final class BareRepositories {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int LOCK_STRIPES = 64;

    private final Path root;
    private final Map<String, GitRemote> seeds;
    private final long timeoutMs;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    public BareRepositories(Path root, Map<String, GitRemote> seeds, long timeoutMs) {
        this.root = root.toAbsolutePath().normalize();
        this.seeds = Map.copyOf(seeds);
        this.timeoutMs = timeoutMs;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public Path root() {
        return root;
    }

    /** The tenant's bare repository, created from the seed when absent. */
    public Path ensure(String tenant, String repository) {
        Path dir = path(tenant, repository);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return dir;
        }
        GitRemote seed = seeds.get(repository);
        if (seed == null) {
            throw new DownstreamException("no remote named " + repository + " is configured");
        }
        ReentrantLock lock = lock(tenant, repository);
        lock.lock();
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return dir;
            }
            Files.createDirectories(dir.getParent());
            Path temp = dir.resolveSibling("." + repository + "." + UUID.randomUUID() + ".tmp");
            try {
                try (Git git =
                        Git.init().setBare(true).setDirectory(temp.toFile()).call()) {
                    var config = git.getRepository().getConfig();
                    config.setInt("gc", null, "auto", 0);
                    config.setBoolean("gc", null, "autoDetach", false);
                    config.setBoolean("receive", null, "autogc", false);
                    config.save();
                    var fetch = git.fetch()
                            .setRemote(seed.url())
                            .setRefSpecs(
                                    new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                            .setTimeout((int) Math.max(1, timeoutMs / 1000));
                    seed.credentials()
                            .ifPresent(c -> fetch.setCredentialsProvider(
                                    new UsernamePasswordCredentialsProvider(c.username(), c.password())));
                    fetch.call();
                    defaultHead(git.getRepository());
                }
                try {
                    Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, dir);
                }
            } catch (GitAPIException e) {
                throw new DownstreamException(
                        "could not copy the seed of repository " + repository + " (" + rootCause(e) + ")");
            } finally {
                deleteQuietly(temp);
            }
            return dir;
        } catch (IOException e) {
            throw new DownstreamException("could not create the forge repository " + repository + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            lock.unlock();
        }
    }

    /** The tenant's bare repository if it exists. */
    public Optional<Path> existing(String tenant, String repository) {
        Path dir = path(tenant, repository);
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(dir) : Optional.empty();
    }

    /** Opens the tenant's bare repository (created from the seed when absent). */
    public Repository open(String tenant, String repository) {
        try {
            return new FileRepositoryBuilder()
                    .setGitDir(ensure(tenant, repository).toFile())
                    .setMustExist(true)
                    .build();
        } catch (IOException e) {
            throw new DownstreamException("the forge repository " + repository + " is damaged");
        }
    }

    /** The lock serializing changes (merges) of one bare repository in this process. */
    public ReentrantLock lock(String tenant, String repository) {
        return locks[Math.floorMod((tenant + "/" + repository).hashCode(), LOCK_STRIPES)];
    }

    /** A message with the forge's paths replaced by the repository's name. */
    public String hide(String message) {
        return message == null ? null : message.replace(root.toString(), "<forge>");
    }

    private Path path(String tenant, String repository) {
        if (tenant == null || !Tenants.PATTERN.matcher(tenant).matches() || tenant.startsWith(".")) {
            throw new DownstreamException("tenant is not a valid forge name");
        }
        if (repository == null || !NAME.matcher(repository).matches()) {
            throw new DownstreamException("repository is not a valid forge name");
        }
        Path dir = root.resolve(tenant).resolve(repository + ".git").normalize();
        if (!dir.startsWith(root) || Files.isSymbolicLink(root.resolve(tenant)) || Files.isSymbolicLink(dir)) {
            throw new DownstreamException("the forge directory of " + repository + " is not a plain directory");
        }
        return dir;
    }

    /** HEAD of the copy names the seed's main branch when it has one, else its first branch. */
    private static void defaultHead(Repository repo) throws IOException {
        if (repo.exactRef("refs/heads/main") != null) {
            repo.updateRef("HEAD").link("refs/heads/main");
            return;
        }
        var heads = repo.getRefDatabase().getRefsByPrefix("refs/heads/");
        if (!heads.isEmpty()) {
            repo.updateRef("HEAD").link(heads.get(0).getName());
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temporary directory is harmless: it is never a valid forge repository name
        }
    }
}
