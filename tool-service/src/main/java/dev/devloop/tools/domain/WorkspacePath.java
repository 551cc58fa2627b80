package dev.devloop.tools.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path inside a tenant's workspace, as the model wrote it, checked before any filesystem access:
 * relative, '/'-separated, no '..' segment, no percent-encoding, backslash, control character, drive
 * letter or home shorthand. Symlinks and file types are checked by the filesystem adapter.
 */
public record WorkspacePath(List<String> segments) {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    public WorkspacePath {
        segments = List.copyOf(segments);
    }

    /** The workspace root itself. */
    public static WorkspacePath root() {
        return new WorkspacePath(List.of());
    }

    /** Parses {@code raw}; throws {@link IllegalArgumentException} saying why it is refused. */
    public static WorkspacePath parse(String raw, int maxChars, boolean rootAllowed) {
        if (raw == null || raw.isBlank()) {
            if (rootAllowed) {
                return root();
            }
            throw new IllegalArgumentException("path is required");
        }
        if (raw.length() > maxChars) {
            throw new IllegalArgumentException("path must be at most " + maxChars + " characters");
        }
        if (raw.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new IllegalArgumentException("path must not contain control characters");
        }
        if (raw.indexOf('%') >= 0) {
            throw new IllegalArgumentException("path must not be percent-encoded");
        }
        if (raw.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("path separators are '/', never '\\'");
        }
        if (raw.startsWith("/") || raw.startsWith("~") || DRIVE.matcher(raw).matches()) {
            throw new IllegalArgumentException("path must be relative to the workspace");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty() || ".".equals(segment)) {
                continue;
            }
            if ("..".equals(segment)) {
                throw new IllegalArgumentException("path must not contain '..'");
            }
            segments.add(segment);
        }
        if (segments.isEmpty() && !rootAllowed) {
            throw new IllegalArgumentException("path must name a file inside the workspace");
        }
        return new WorkspacePath(segments);
    }

    /**
     * True when a segment is {@code .git} (any case): git metadata (config, hooks) is changed only through the git
     * tools, never by writing files.
     */
    public boolean touchesGitMetadata() {
        return segments.stream().anyMatch(s -> s.equalsIgnoreCase(".git"));
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
