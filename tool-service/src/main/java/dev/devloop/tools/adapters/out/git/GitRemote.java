package dev.devloop.tools.adapters.out.git;

import java.util.Optional;

/** A configured remote: its URL and optional credentials. {@link #toString()} never shows the credentials. */
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
    return hasCredentials() ? java.util.Optional.of(new Credentials(username, password())) : java.util.Optional.empty();
  }

  boolean hasCredentials() {
    return username != null;
  }

  String username() {
    return username;
  }

  char[] password() {
    return password == null ? new char[0] : password.toCharArray();
  }

  @Override
  public String toString() {
    return "GitRemote[credentials=" + (hasCredentials() ? "configured" : "none") + "]";
  }
}
