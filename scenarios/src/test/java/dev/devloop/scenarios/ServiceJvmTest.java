package dev.devloop.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache bookkeeping of {@link ServiceJvm}, on files only (no JVM is started); without the caches
 * {@code DEVLOOP_SCENARIOS_AOT_CACHES} names (deploy/devloop test's lane sets it for this very JVM) unless a test names
 * its own.
 */
class ServiceJvmTest {
    @TempDir
    Path root;

    private final String savedRoot = System.getProperty("devloop.root");

    @AfterEach
    void restoreRoot() {
        if (savedRoot == null) {
            System.clearProperty("devloop.root");
        } else {
            System.setProperty("devloop.root", savedRoot);
        }
    }

    @Test
    void aRecordedCacheIsKeptOnlyOnceItsJvmLoggedItWhole() throws Exception {
        Path cache = root.resolve("tool-service-abc.aot");
        Path recording = Path.of(cache + ".rec");
        Path log = root.resolve("tool-service.log");

        Files.writeString(recording, "cut short");
        Files.writeString(log, "killed while writing");
        ServiceJvm.keepRecorded(cache, log);
        assertThat(recording).doesNotExist();
        assertThat(cache).doesNotExist();

        Files.writeString(recording, "whole");
        Files.writeString(log, "...\nAOTCache creation is complete: " + recording + " 104857600 bytes\n");
        ServiceJvm.keepRecorded(cache, log);
        assertThat(recording).doesNotExist();
        assertThat(cache).hasContent("whole");
    }

    @Test
    void theBuildsOwnAppRecordsThenMapsAndARebuiltAppRecordsAgain() throws Exception {
        assumeTrue(ServiceJvm.CURRENT.major >= 25, "the AOT cache needs JDK 25+");
        Path app = Files.createDirectories(root.resolve("tool-service/target/quarkus-app"));
        Path jar = Files.writeString(app.resolve("quarkus-run.jar"), "v1");
        System.setProperty("devloop.root", root.toString());

        ServiceJvm.Start first = ServiceJvm.CURRENT.start(app, "tool-service", null);
        assertThat(first.recording()).isPresent();
        Path cache = first.recording().orElseThrow();
        assertThat(first.options()).contains("-XX:AOTCacheOutput=" + cache + ".rec");

        Files.writeString(cache, "recorded");
        assertThat(ServiceJvm.CURRENT.start(app, "tool-service", null).options())
                .contains("-XX:AOTCache=" + cache);

        Files.writeString(jar, "v2 rebuilt");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        ServiceJvm.Start rebuilt = ServiceJvm.CURRENT.start(app, "tool-service", null);
        assertThat(rebuilt.recording()).isPresent().get().isNotEqualTo(cache);
    }

    @Test
    void aCopyOutsideTheBuildGetsNoCache() throws Exception {
        Path copy = Files.createDirectories(root.resolve("snapshot/tool-service/target/quarkus-app"));
        Files.writeString(copy.resolve("quarkus-run.jar"), "v1");
        System.setProperty("devloop.root", root.resolve("build").toString());

        ServiceJvm.Start start = ServiceJvm.CURRENT.start(copy, "tool-service", null);
        assertThat(start.recording()).isEmpty();
        assertThat(start.mapsCache()).isFalse();
        assertThat(start.options()).noneMatch(o -> o.startsWith("-XX:AOTCache"));
    }

    @Test
    void aHardLinkedCopyMapsTheBuildsRecordedCacheButNeverRecords() throws Exception {
        assumeTrue(ServiceJvm.CURRENT.major >= 25, "the AOT cache needs JDK 25+");
        Path app = Files.createDirectories(root.resolve("tool-service/target/quarkus-app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "v1");
        System.setProperty("devloop.root", root.toString());
        Path cache =
                ServiceJvm.CURRENT.start(app, "tool-service", null).recording().orElseThrow();
        Files.writeString(cache, "recorded");

        Path copy = Files.createDirectories(root.resolve("snapshot/tool-service/target/quarkus-app"));
        Files.createLink(copy.resolve("quarkus-run.jar"), app.resolve("quarkus-run.jar"));
        ServiceJvm.Start linked = ServiceJvm.CURRENT.start(copy, "tool-service", null);
        assertThat(linked.options()).contains("-XX:AOTCache=" + cache);
        assertThat(linked.mapsCache()).isTrue();
        assertThat(linked.recording()).isEmpty();

        Files.delete(cache);
        ServiceJvm.Start none = ServiceJvm.CURRENT.start(copy, "tool-service", null);
        assertThat(none.recording()).isEmpty();
        assertThat(none.options()).noneMatch(o -> o.startsWith("-XX:AOTCache"));
    }

    @Test
    void theCachesDeployRecordedAreNamedPerModuleAndUsedOnlyWhenTheirFileIsThere() throws Exception {
        Path tool = Files.writeString(root.resolve("tool-service-0123.aot"), "recorded by deploy/devloop up");
        Path empty = Files.createFile(root.resolve("api-gateway-4567.aot"));
        String caches = "api-gateway=" + empty + ",tool-service=" + tool + ",agent-service=" + root.resolve("gone.aot");

        assertThat(ServiceJvm.given(caches, "tool-service")).contains(tool);
        assertThat(ServiceJvm.given(caches, "api-gateway")).isEmpty();
        assertThat(ServiceJvm.given(caches, "agent-service")).isEmpty();
        assertThat(ServiceJvm.given(caches, "knowledge-service")).isEmpty();
        assertThat(ServiceJvm.given(null, "tool-service")).isEmpty();
    }

    @Test
    void aCacheDeployRecordedIsMappedAndNothingIsRecorded() throws Exception {
        assumeTrue(ServiceJvm.CURRENT.major >= 25, "the AOT cache needs JDK 25+");
        Path app = Files.createDirectories(root.resolve("tool-service/target/quarkus-app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "v1");
        System.setProperty("devloop.root", root.toString());
        Path deploys = Files.writeString(root.resolve("tool-service-0123.aot"), "recorded by deploy/devloop up");

        ServiceJvm.Start start = ServiceJvm.CURRENT.start(app, "tool-service", "tool-service=" + deploys);
        assertThat(start.options()).contains("-XX:AOTCache=" + deploys);
        assertThat(start.mapsCache()).isTrue();
        assertThat(start.recording()).isEmpty();
    }
}
