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

  String url() {
    return url;
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
