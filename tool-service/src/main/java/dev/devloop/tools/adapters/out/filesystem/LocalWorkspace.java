package dev.devloop.tools.adapters.out.filesystem;

import dev.devloop.contracts.Tenants;
import dev.devloop.tools.domain.WorkspacePath;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.WorkspacePort;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Workspaces on the local filesystem: {@code <root>/<tenant>/...}. Every access resolves the real
 * path and requires it to stay under the tenant's real root, refuses symbolic links on the way to a
 * write, and touches only regular files and directories (no devices, pipes or sockets).
 */
public class LocalWorkspace implements WorkspacePort {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Path root;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> locks =
            new java.util.concurrent.ConcurrentHashMap<>();

    public LocalWorkspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String read(String tenant, WorkspacePath path, int maxBytes) {
        try {
            Path base = tenantRoot(tenant);
            Path real = existingInside(base, path);
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, NOFOLLOW);
            if (attributes.isDirectory()) {
                throw new DownstreamException(path + " is a directory; use list_dir");
            }
            if (!attributes.isRegularFile()) {
                throw new PathRejectedException(path + " is not a regular file (device, pipe or socket)");
            }
            if (attributes.size() > maxBytes) {
                throw new DownstreamException(
                        path + " is " + attributes.size() + " bytes; at most " + maxBytes + " can be read");
            }
            ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
            try (SeekableByteChannel channel = Files.newByteChannel(real, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // read until the file or the bound ends
                }
            }
            buffer.flip();
            if (buffer.remaining() > maxBytes) {
                throw new DownstreamException(path + " grew past " + maxBytes + " bytes while being read");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DownstreamException(path + " is not UTF-8 text");
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    @Override
    public long write(String tenant, WorkspacePath path, String content, boolean append, int maxBytes, Quota quota) {
        if (quota.maxBytes() <= 0 && quota.maxEntries() <= 0) {
            return writeUnchecked(tenant, path, content, append, maxBytes, null);
        }
        // one write at a time per tenant in this process, so the usage measured is the usage written against
        synchronized (locks.computeIfAbsent(tenant, t -> new Object())) {
            return writeUnchecked(tenant, path, content, append, maxBytes, quota);
        }
    }

    /**
     * Bytes in regular files and number of entries under the tenant's root, links not followed; the walk stops
     * past {@code maxEntries} (→ {@link QuotaExceededException}), so it is bounded however the workspace grew.
     */
    private long[] usage(Path base, Quota quota) throws IOException {
        long[] totals = new long[2];
        int ceiling = quota.maxEntries() > 0 ? quota.maxEntries() : Integer.MAX_VALUE;
        Files.walkFileTree(
                base,
                java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                Integer.MAX_VALUE,
                new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return count(dir, attrs);
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        return count(file, attrs);
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    private java.nio.file.FileVisitResult count(Path p, BasicFileAttributes attrs) {
                        if (p.equals(base)) {
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                        totals[1]++;
                        if (attrs.isRegularFile()) {
                            totals[0] += attrs.size();
                        }
                        return totals[1] > ceiling
                                ? java.nio.file.FileVisitResult.TERMINATE
                                : java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
        return totals;
    }

    private void checkQuota(
            Path base, Path file, WorkspacePath path, boolean append, int newBytes, int newDirectories, Quota quota)
            throws IOException {
        long[] usage = usage(base, quota);
        boolean exists = Files.isRegularFile(file, NOFOLLOW);
        long entriesAfter = usage[1] + newDirectories + (exists ? 0 : 1);
        if (quota.maxEntries() > 0 && entriesAfter > quota.maxEntries()) {
            throw new QuotaExceededException(
                    "workspaceEntries",
                    "the tenant workspace may hold at most "
                            + quota.maxEntries() + " files and directories; writing " + path + " would make it "
                            + (usage[1] > quota.maxEntries()
                                    ? "more than " + quota.maxEntries()
                                    : Long.toString(entriesAfter)));
        }
        long existing = exists ? Files.size(file) : 0;
        long bytesAfter = usage[0] - (append ? 0 : existing) + newBytes;
        if (quota.maxBytes() > 0 && bytesAfter > quota.maxBytes()) {
            throw new QuotaExceededException(
                    "workspaceQuota",
                    "the tenant workspace may hold at most " + quota.maxBytes() + " bytes; it holds " + usage[0]
                            + " and writing " + path + " would make it " + bytesAfter);
        }
    }

    private long writeUnchecked(
            String tenant, WorkspacePath path, String content, boolean append, int maxBytes, Quota quota) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw new DownstreamException(
                    "content is " + bytes.length + " bytes; at most " + maxBytes + " can be written");
        }
        try {
            Path directory = tenantRoot(tenant);
            Path base = directory;
            List<String> segments = path.segments();
            if (quota != null) {
                // checked before anything is created: the directories the write would add count as entries
                Path probe = base;
                int missing = 0;
                for (String segment : segments.subList(0, segments.size() - 1)) {
                    probe = probe.resolve(segment);
                    if (missing > 0 || !Files.exists(probe, NOFOLLOW)) {
                        missing++;
                    }
                }
                checkQuota(base, base.resolve(String.join("/", segments)), path, append, bytes.length, missing, quota);
            }
            for (String segment : segments.subList(0, segments.size() - 1)) {
                Path next = directory.resolve(segment);
                if (Files.isSymbolicLink(next)) {
                    throw new PathRejectedException(
                            "'" + segment + "' on the path is a symbolic link; writes never follow links");
                }
                if (Files.exists(next, NOFOLLOW) && !Files.isDirectory(next, NOFOLLOW)) {
                    throw new DownstreamException("'" + segment + "' on the path is not a directory");
                }
                if (!Files.exists(next, NOFOLLOW)) {
                    Files.createDirectory(next);
                }
                directory = next;
            }
            Path file = directory.resolve(segments.get(segments.size() - 1));
            if (Files.isSymbolicLink(file)) {
                throw new PathRejectedException(path + " is a symbolic link; writes never follow links");
            }
            if (Files.exists(file, NOFOLLOW) && !Files.isRegularFile(file, NOFOLLOW)) {
                throw new PathRejectedException(path + " exists and is not a regular file");
            }
            if (append && Files.exists(file, NOFOLLOW) && Files.size(file) + bytes.length > maxBytes) {
                throw new DownstreamException("appending would make " + path + " larger than " + maxBytes + " bytes");
            }
            Set<OpenOption> options = Set.of(
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    NOFOLLOW);
            try (SeekableByteChannel channel = Files.newByteChannel(file, options)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                return channel.size();
            }
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    @Override
    public Listing list(String tenant, WorkspacePath path, int maxEntries) {
        try {
            Path base = tenantRoot(tenant);
            Path real = path.isRoot() ? base : existingInside(base, path);
            if (!Files.isDirectory(real, NOFOLLOW)) {
                throw new DownstreamException(path + " is not a directory");
            }
            List<Entry> entries = new ArrayList<>();
            boolean truncated = false;
            try (DirectoryStream<Path> children = Files.newDirectoryStream(real)) {
                for (Path child : children) {
                    if (entries.size() == maxEntries) {
                        truncated = true;
                        break;
                    }
                    BasicFileAttributes a = Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW);
                    String type = a.isSymbolicLink()
                            ? "symlink"
                            : a.isDirectory() ? "dir" : a.isRegularFile() ? "file" : "other";
                    entries.add(new Entry(child.getFileName().toString(), type, a.isRegularFile() ? a.size() : 0));
                }
            }
            entries.sort(Comparator.comparing(Entry::name));
            return new Listing(entries, truncated);
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    /** The tenant's real root directory, created on first use; it must itself lie under the configured root. */
    private Path tenantRoot(String tenant) throws IOException {
        if (tenant == null || !Tenants.PATTERN.matcher(tenant).matches()) {
            throw new PathRejectedException("tenant is not a valid workspace name");
        }
        Files.createDirectories(root);
        Path realRoot = root.toRealPath();
        Path directory = realRoot.resolve(tenant);
        if (!Files.exists(directory, NOFOLLOW)) {
            Files.createDirectories(directory);
        }
        Path real = directory.toRealPath();
        if (!real.getParent().equals(realRoot) || !Files.isDirectory(real, NOFOLLOW)) {
            throw new PathRejectedException("the tenant workspace is not a plain directory under the workspace root");
        }
        return real;
    }

    /** The real path of an existing entry, which must stay under {@code base} once links are followed. */
    private static Path existingInside(Path base, WorkspacePath path) throws IOException {
        Path lexical = base;
        for (String segment : path.segments()) {
            lexical = lexical.resolve(segment);
        }
        if (!lexical.normalize().startsWith(base)) {
            throw new PathRejectedException(path + " leads outside the workspace");
        }
        if (!Files.exists(lexical, NOFOLLOW)) {
            throw new DownstreamException("no such file or directory: " + path);
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new DownstreamException(path + " is a dangling symbolic link");
        }
        if (!real.startsWith(base)) {
            throw new PathRejectedException(path + " leads outside the workspace through a symbolic link");
        }
        return real;
    }

    private static DownstreamException failure(WorkspacePath path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DownstreamException("no such file or directory: " + path);
        }
        return new DownstreamException(
                "filesystem error on " + path + ": " + e.getClass().getSimpleName());
    }
}
