package dev.devloop.tools.domain;

import java.util.Optional;

/**
 * A configured git remote: its URL and optional credentials. {@link #toString()} never shows the credentials. A plain
 * value shared by the git workspaces and the local forge (which seeds its bare repositories from it).
 */
public final class GitRemote {
    private final String url;
    private final String username;
    private final String password;

    public GitRemote(String url, Optional<String> username, Optional<String> password) {
        this.url = url;
        this.username = username.filter(u -> !u.isBlank()).orElse(null);
        this.password = password.orElse(null);
    }

    public String url() {
        return url;
    }

    /** A username and password to hand to JGit's credentials provider. */
    public record Credentials(String username, char[] password) {
        @Override
        public String toString() {
            return "Credentials[hidden]";
        }
    }

    public java.util.Optional<Credentials> credentials() {
        return hasCredentials()
                ? java.util.Optional.of(new Credentials(username, password()))
                : java.util.Optional.empty();
    }

    private boolean hasCredentials() {
        return username != null;
    }

    private String username() {
        return username;
    }

    private char[] password() {
        return password == null ? new char[0] : password.toCharArray();
    }

    @Override
    public String toString() {
        return "GitRemote[credentials=" + (hasCredentials() ? "configured" : "none") + "]";
    }
}
