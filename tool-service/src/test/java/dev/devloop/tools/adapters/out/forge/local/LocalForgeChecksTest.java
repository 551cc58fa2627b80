package dev.devloop.tools.adapters.out.forge.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.devloop.migrations.MongoMigrations;
import dev.devloop.tools.adapters.out.mongo.MongoMigrator;
import dev.devloop.tools.domain.GitRemote;
import dev.devloop.tools.ports.out.ForgeEventsPort;
import dev.devloop.tools.ports.out.ForgePort;
import dev.devloop.tools.support.GitFixture;
import dev.devloop.tools.support.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local forge's check lifecycle with real MongoDB and JGit and a clock the test moves: a check whose runner is
 * gone ends cancelled once it is long past the deadline, exactly once; a full queue cancels at once.
 */
class LocalForgeChecksTest {
    @TempDir
    Path temp;

    private final String tenant = "t-" + UUID.randomUUID();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private MongoClient mongo;
    private GitFixture seed;
    private ThreadPoolExecutor checkers;
    private MovableClock clock;
    private LocalForge forge;
    private BareRepositories bare;

    @BeforeEach
    void setUp() throws Exception {
        mongo = MongoClients.create(System.getProperty("devloop.test.mongo", "mongodb://127.0.0.1:27017"));
        seed = new GitFixture(Files.createDirectory(temp.resolve("seed")));
        bare = new BareRepositories(
                temp.resolve("forge"),
                Map.of("app", new GitRemote(seed.remote.toString(), Optional.empty(), Optional.empty())),
                30_000);
        new MongoMigrations(
                        mongo.getDatabase("devloop_tools"),
                        MongoMigrator.MIGRATIONS,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        "local-forge-checks-test")
                .migrate(m -> {});
        ForgeRecords records = new ForgeRecords(mongo, "devloop_tools");
        checkers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1));
        clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ForgeEventsPort sink = (t, subject, event, payload) -> {
            if (t.equals(tenant)) {
                events.add(describe(event, payload));
            }
            return UUID.randomUUID().toString();
        };
        forge = new LocalForge(
                bare,
                records,
                sink,
                checkers,
                new LocalForge.Settings(
                        Map.of("app", List.of("true")),
                        temp.resolve("checks"),
                        5_000,
                        4096,
                        50,
                        "devloop-forge://local"),
                clock,
                (conclusion, ms) -> {});
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        checkers.shutdownNow();
        seed.close();
        mongo.close();
    }

    private static String describe(String event, JsonNode payload) {
        return switch (event) {
            case "check_run" ->
                "check_run " + payload.path("check_run").path("conclusion").asText();
            case "pull_request" -> "pull_request " + payload.path("action").asText();
            default -> event;
        };
    }

    /** Makes the seed's main plus one commit the tenant's feature/<name> on the forge. */
    private void pushFeature(String name) throws Exception {
        Path repo = bare.ensure(tenant, "app");
        seed.commitOnMain("notes/" + name + ".md", name + "\n", "add " + name);
        try (Git git = Git.open(repo.toFile())) {
            git.fetch()
                    .setRemote(seed.remote.toUri().toString())
                    .setRefSpecs(new RefSpec("+refs/heads/main:refs/heads/feature/" + name))
                    .call();
        }
    }

    private ForgePort.PullRequest open(String name) {
        return forge.openPullRequest(
                tenant, "app", new ForgePort.NewPullRequest("Add " + name, "body", "feature/" + name, "main", false));
    }

    @Test
    void aCheckWhoseRunnerIsGoneIsCancelledOnceLongPastTheDeadline() throws Exception {
        checkers.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        pushFeature("a");
        ForgePort.PullRequest pr = open("a");
        assertThat(forge.checks(tenant, "app", pr.headSha(), 10))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo("queued"));

        clock.advance(Duration.ofMillis(5_000 + 60_000));
        assertThat(forge.checks(tenant, "app", "feature/a", 10).get(0).status()).isEqualTo("queued");

        clock.advance(Duration.ofMinutes(2));
        ForgePort.Check cancelled = forge.checks(tenant, "app", "feature/a", 10).get(0);
        assertThat(cancelled.status()).isEqualTo("completed");
        assertThat(cancelled.conclusion()).hasValue("cancelled");
        assertThat(cancelled.summary()).contains("runner stopped while it was queued");

        release.countDown();
        checkers.shutdown();
        assertThat(checkers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(forge.checks(tenant, "app", "feature/a", 10).get(0).conclusion())
                .hasValue("cancelled");
        assertThat(events).containsExactly("pull_request opened", "check_run cancelled");
    }

    @Test
    void aFullQueueCancelsTheCheckAtOnce() throws Exception {
        checkers.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        checkers.execute(() -> {});
        pushFeature("b");
        ForgePort.PullRequest pr = open("b");
        ForgePort.Check check = forge.checks(tenant, "app", pr.headSha(), 10).get(0);
        assertThat(check.conclusion()).hasValue("cancelled");
        assertThat(check.summary()).isEqualTo("not run: the check queue is full");
        assertThat(events).containsExactly("pull_request opened", "check_run cancelled");
    }

    @Test
    void aCheckRunsInACloneOfTheHeadAndTheCloneIsRemoved() throws Exception {
        pushFeature("c");
        ForgePort.PullRequest pr = open("c");
        checkers.shutdown();
        assertThat(checkers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        ForgePort.Check check = forge.checks(tenant, "app", pr.headSha(), 10).get(0);
        assertThat(check.conclusion()).hasValue("success");
        assertThat(check.headSha()).isEqualTo(pr.headSha());
        assertThat(forge.checkLog(tenant, "app", check.id(), 100).text()).isEmpty();
        try (var left = Files.list(temp.resolve("checks").resolve(tenant))) {
            assertThat(left).isEmpty();
        }
        assertThat(events).containsExactly("pull_request opened", "check_run success");
    }
}
