package dev.devloop.tools.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A bare "remote" repository on disk with a {@code main} branch, and a seed clone to change it from outside. Fake
 * secrets are assembled at run time so no test source holds one.
 */
public final class GitFixture implements AutoCloseable {
    public final Path remote;
    private final Path seedDir;
    private final Git seed;

    public GitFixture(Path directory) {
        this(directory.resolve("remote.git"), directory.resolve("seed"));
    }

    public GitFixture(Path remote, Path seedDir) {
        try {
            this.remote = remote;
            this.seedDir = seedDir;
            Git.init()
                    .setBare(true)
                    .setInitialBranch("main")
                    .setDirectory(remote.toFile())
                    .call()
                    .close();
            seed = Git.init()
                    .setInitialBranch("main")
                    .setDirectory(seedDir.toFile())
                    .call();
            commitOnMain("README.md", "# app\n\nline three\n", "initial");
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a file in the seed, commits it on main and pushes main to the remote. */
    public void commitOnMain(String path, String content, String message) {
        try {
            Path file = seedDir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            seed.add().addFilepattern(".").call();
            PersonIdent ident = new PersonIdent("seed", "seed@devloop.test");
            seed.commit()
                    .setMessage(message)
                    .setAuthor(ident)
                    .setCommitter(ident)
                    .setSign(false)
                    .call();
            seed.push()
                    .setRemote(remote.toUri().toString())
                    .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fake AWS access key id of the right shape. */
    public static String fakeAwsKeyId(long seed) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        Random random = new Random(seed);
        StringBuilder key = new StringBuilder("AK").append("IA");
        for (int i = 0; i < 16; i++) {
            key.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return key.toString();
    }

    @Override
    public void close() {
        seed.close();
    }
}
