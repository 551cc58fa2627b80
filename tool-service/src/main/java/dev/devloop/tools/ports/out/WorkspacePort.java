package dev.devloop.tools.ports.out;

import dev.devloop.tools.domain.WorkspacePath;
import java.util.List;

/**
 * Outgoing port to a tenant's confined workspace. {@link PathRejectedException} means the path leaves
 * the workspace or names something that is not a regular file or directory; {@link
 * DownstreamException} means an ordinary failure (missing file, too large, not text).
 */
public interface WorkspacePort {
    /** One directory entry; {@code type} is {@code file}, {@code dir}, {@code symlink} or {@code other}. */
    record Entry(String name, String type, long size) {}

    /** A listing, cut at the limit when {@code truncated}. */
    record Listing(List<Entry> entries, boolean truncated) {}

    String read(String tenant, WorkspacePath path, int maxBytes);

    /**
     * A tenant's whole workspace: at most {@code maxBytes} in regular files and {@code maxEntries} files and
     * directories (0 = unlimited).
     */
    record Quota(long maxBytes, int maxEntries) {
        public static final Quota NONE = new Quota(0, 0);
    }

    /** Writes UTF-8 text, creating parent directories; returns the file's size afterwards. */
    default long write(String tenant, WorkspacePath path, String content, boolean append, int maxBytes) {
        return write(tenant, path, content, append, maxBytes, Quota.NONE);
    }

    /**
     * Writes like {@link #write(String, WorkspacePath, String, boolean, int)} unless the workspace would exceed
     * the quota afterwards: then {@link QuotaExceededException} and nothing is written.
     */
    long write(String tenant, WorkspacePath path, String content, boolean append, int maxBytes, Quota quota);

    Listing list(String tenant, WorkspacePath path, int maxEntries);

    /** The write would take the tenant's workspace past its quota; {@code rule} names which bound. */
    class QuotaExceededException extends RuntimeException {
        private final String rule;

        public QuotaExceededException(String rule, String message) {
            super(message);
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    /** The path escapes the workspace or names a non-regular file; the message says which. */
    class PathRejectedException extends RuntimeException {
        public PathRejectedException(String message) {
            super(message);
        }
    }
}
