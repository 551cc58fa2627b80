package dev.devloop.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache bookkeeping of {@link ServiceJvm}, on files only (no JVM is started). */
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

        ServiceJvm.Start first = ServiceJvm.CURRENT.start(app, "tool-service");
        assertThat(first.recording()).isPresent();
        Path cache = first.recording().orElseThrow();
        assertThat(first.options()).contains("-XX:AOTCacheOutput=" + cache + ".rec");

        Files.writeString(cache, "recorded");
        assertThat(ServiceJvm.CURRENT.start(app, "tool-service").options()).contains("-XX:AOTCache=" + cache);

        Files.writeString(jar, "v2 rebuilt");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        ServiceJvm.Start rebuilt = ServiceJvm.CURRENT.start(app, "tool-service");
        assertThat(rebuilt.recording()).isPresent().get().isNotEqualTo(cache);
    }

    @Test
    void aCopyOutsideTheBuildGetsNoCache() throws Exception {
        Path copy = Files.createDirectories(root.resolve("snapshot/tool-service/target/quarkus-app"));
        Files.writeString(copy.resolve("quarkus-run.jar"), "v1");
        System.setProperty("devloop.root", root.resolve("build").toString());

        ServiceJvm.Start start = ServiceJvm.CURRENT.start(copy, "tool-service");
        assertThat(start.recording()).isEmpty();
        assertThat(start.options()).noneMatch(o -> o.startsWith("-XX:AOTCache"));
    }
}
