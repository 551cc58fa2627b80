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

  /** Writes UTF-8 text, creating parent directories; returns the file's size afterwards. */
  long write(String tenant, WorkspacePath path, String content, boolean append, int maxBytes);

  Listing list(String tenant, WorkspacePath path, int maxEntries);

  /** The path escapes the workspace or names a non-regular file; the message says which. */
  class PathRejectedException extends RuntimeException {
    public PathRejectedException(String message) {
      super(message);
    }
  }
}
