package dev.devloop.tools.adapters.out.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The adapter's small parts: Link parsing, the ETag cache's bounds, origins, UTF-8 tails and the settings. */
class GitHubHttpPartsTest {

    @Test
    void nextLinkOfGitHubsLinkHeader() {
        // the Link header recorded in @octokit/fixtures' paginate-issues scenario (second page)
        String link = "<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel=\"prev\", "
                + "<https://api.github.com/repositories/1000/issues?per_page=3&page=3>; rel=\"next\", "
                + "<https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel=\"last\", "
                + "<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel=\"first\"";

        assertThat(GitHubHttp.nextLink(link))
                .contains(URI.create("https://api.github.com/repositories/1000/issues?per_page=3&page=3"));
        assertThat(GitHubHttp.nextLink("<https://api.github.com/repositories/1000/issues?page=4>; rel=\"prev\""))
                .isEmpty();
        assertThat(GitHubHttp.nextLink("garbage")).isEmpty();
    }

    @Test
    void theEtagCacheIsBoundedByEntriesAndBytesAndKeepsTenantsApart() {
        EtagCache cache = new EtagCache(2, 10);
        cache.put("a", "u1", new EtagCache.Entry("e1", new byte[4], Optional.empty()));
        cache.put("a", "u2", new EtagCache.Entry("e2", new byte[4], Optional.empty()));
        assertThat(cache.get("a", "u1")).isPresent();
        assertThat(cache.get("b", "u1")).as("tenants never share an entry").isEmpty();

        cache.put("a", "u3", new EtagCache.Entry("e3", new byte[4], Optional.empty()));
        assertThat(cache.size()).isLessThanOrEqualTo(2);
        assertThat(cache.bytes()).isLessThanOrEqualTo(10);

        cache.put("a", "u4", new EtagCache.Entry("e4", new byte[9], Optional.empty()));
        assertThat(cache.bytes()).isLessThanOrEqualTo(10);
        assertThat(cache.size()).isLessThanOrEqualTo(2);
        cache.put("a", "huge", new EtagCache.Entry("e5", new byte[11], Optional.empty()));
        assertThat(cache.get("a", "huge"))
                .as("larger than the whole cache: never kept")
                .isEmpty();

        EtagCache none = new EtagCache(0, 10);
        none.put("a", "u1", new EtagCache.Entry("e1", new byte[1], Optional.empty()));
        assertThat(none.get("a", "u1")).isEmpty();
    }

    @Test
    void origins() {
        assertThat(GitHubHttp.sameOrigin(URI.create("https://api.github.com/x"), URI.create("https://API.github.com")))
                .isTrue();
        assertThat(GitHubHttp.sameOrigin(
                        URI.create("https://api.github.com:443/x"), URI.create("https://api.github.com")))
                .isTrue();
        assertThat(GitHubHttp.sameOrigin(URI.create("http://api.github.com/x"), URI.create("https://api.github.com")))
                .isFalse();
        assertThat(GitHubHttp.sameOrigin(
                        URI.create("https://api.github.com.evil/x"), URI.create("https://api.github.com")))
                .isFalse();
    }

    @Test
    void pathSegmentsAreEncodedWholeAndNeverNavigate() throws Exception {
        GitHubForgeSettings settings =
                GitHubForgeSettings.of(URI.create("https://ghe.example.com/api/v3/"), Optional.empty(), Map.of());
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (GitHubHttp http = new GitHubHttp(settings, vertx, java.time.Clock.systemUTC())) {
            assertThat(http.api("repos", "o", "r", "commits", "feature/login", "check-runs"))
                    .hasToString("https://ghe.example.com/api/v3/repos/o/r/commits/feature%2Flogin/check-runs");
            assertThat(http.api("repos", "o", "r", "commits", "..", "x"))
                    .hasToString("https://ghe.example.com/api/v3/repos/o/r/commits/%2E%2E/x");
            assertThat(GitHubHttp.withQuery(http.api("pulls"), "head", "o:feature/a b", "state", "open"))
                    .hasToString("https://ghe.example.com/api/v3/pulls?head=o%3Afeature%2Fa%20b&state=open");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void aByteTailDropsACutMultiByteCharacter() {
        byte[] bytes = "é and ü".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);

        assertThat(GitHubForge.utf8Tail(cut)).isEqualTo(" and ü");
    }

    @Test
    void settingsAreValidated() {
        Map<String, GitHubForgeSettings.Repo> repos =
                Map.of("app", new GitHubForgeSettings.Repo("octocat", "Hello-World"));
        assertThat(GitHubForgeSettings.of(GitHubForgeSettings.DEFAULT_API_URL, Optional.of("  "), repos)
                        .token())
                .isEmpty();
        assertThatThrownBy(() -> GitHubForgeSettings.of(URI.create("ftp://api.github.com"), Optional.empty(), repos))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> GitHubForgeSettings.of(URI.create("https://u:p@api.github.com"), Optional.empty(), repos))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GitHubForgeSettings.Repo("octo/cat", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GitHubForgeSettings.Repo("octocat", ".."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GitHubForgeSettings(
                        GitHubForgeSettings.DEFAULT_API_URL,
                        Optional.empty(),
                        repos,
                        Duration.ZERO,
                        1,
                        1,
                        1,
                        1,
                        1024,
                        1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GitHubForgeSettings(
                        GitHubForgeSettings.DEFAULT_API_URL,
                        Optional.empty(),
                        repos,
                        Duration.ofSeconds(1),
                        0,
                        1,
                        1,
                        1,
                        1024,
                        1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> GitHubForgeSettings.of(GitHubForgeSettings.DEFAULT_API_URL, Optional.of("tok en"), repos))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("tok en");
    }
}
