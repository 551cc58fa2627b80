package dev.devloop.tools.application;

/**
 * Bounds of the filesystem tools, taken from configuration; {@code maxTenantBytes}/{@code maxTenantEntries}
 * bound a tenant's whole workspace (0 = unlimited).
 */
public record WorkspaceSettings(
        int maxPathChars, int maxFileBytes, int maxListEntries, long maxTenantBytes, int maxTenantEntries) {
    /** Without a per-tenant workspace quota. */
    public WorkspaceSettings(int maxPathChars, int maxFileBytes, int maxListEntries) {
        this(maxPathChars, maxFileBytes, maxListEntries, 0, 0);
    }
}
