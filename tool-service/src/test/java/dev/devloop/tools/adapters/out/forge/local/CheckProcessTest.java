package dev.devloop.tools.adapters.out.forge.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check command's bounds, with real processes: exit codes, the output tail, the deadline and the process tree. */
class CheckProcessTest {
    @TempDir
    Path dir;

    @Test
    void exitZeroIsSuccessAndTheEnvironmentIsScrubbed() {
        CheckProcess.Result result = CheckProcess.run(
                List.of(
                        "sh",
                        "-c",
                        "echo home=$HOME; echo token=${DEVLOOP_GITHUB_TOKEN:-unset}; echo sha=$DEVLOOP_CHECK_SHA"),
                dir,
                Map.of("DEVLOOP_CHECK_SHA", "abc"),
                20_000,
                4096,
                50);
        assertThat(result.conclusion()).isEqualTo("success");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).isEqualTo("home=" + dir + "\ntoken=unset\nsha=abc\n");
        assertThat(result.summary()).startsWith("passed in ");
    }

    @Test
    void aNonZeroExitIsFailureWithStderrInTheOutput() throws Exception {
        Files.writeString(dir.resolve("check.sh"), "echo checking\necho 'FAIL add' >&2\nexit 3\n");
        CheckProcess.Result result = CheckProcess.run(List.of("sh", "check.sh"), dir, Map.of(), 20_000, 4096, 50);
        assertThat(result.conclusion()).isEqualTo("failure");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("checking\n", "FAIL add\n");
        assertThat(result.summary()).startsWith("failed with exit code 3 in ");
    }

    @Test
    void aDotSlashCommandNamesAFileOfTheClone() throws Exception {
        Path script = Files.writeString(dir.resolve("check.sh"), "#!/bin/sh\necho from the clone\n");
        script.toFile().setExecutable(true);
        CheckProcess.Result result = CheckProcess.run(List.of("./check.sh"), dir, Map.of(), 20_000, 4096, 50);
        assertThat(result.output()).isEqualTo("from the clone\n");
        assertThat(result.conclusion()).isEqualTo("success");
    }

    @Test
    void onlyTheTailOfTheOutputIsKept() {
        CheckProcess.Result result = CheckProcess.run(
                List.of("sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done"),
                dir,
                Map.of(),
                20_000,
                100,
                50);
        assertThat(result.truncated()).isTrue();
        assertThat(result.outputBytes()).isGreaterThan(100);
        assertThat(result.output().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(100);
        assertThat(result.output()).endsWith("line-1999\n");
    }

    @Test
    void pastTheDeadlineTheWholeProcessTreeIsKilled() throws Exception {
        Path pid = dir.resolve("child.pid");
        CheckProcess.Result result = CheckProcess.run(
                List.of("sh", "-c", "sleep 300 & echo $! > child.pid; echo started; wait"),
                dir,
                Map.of(),
                1_500,
                4096,
                50);

        assertThat(result.conclusion()).isEqualTo("timed_out");
        assertThat(result.exitCode()).isNull();
        assertThat(result.output()).startsWith("started\n").contains("[devloop] timed out after 1.5 s");
        long child = Long.parseLong(Files.readString(pid).strip());
        Optional<ProcessHandle> handle = ProcessHandle.of(child);
        if (handle.isPresent()) {
            handle.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive))
                .as("the grandchild sleep")
                .isNotEqualTo(Optional.of(true));
    }

    @Test
    void tooManyProcessesKillTheTree() {
        CheckProcess.Result result = CheckProcess.run(
                List.of("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 300 & done; wait"),
                dir,
                Map.of(),
                20_000,
                4096,
                4);
        assertThat(result.conclusion()).isEqualTo("cancelled");
        assertThat(result.summary()).isEqualTo("started more than 4 processes; the process tree was killed");
    }

    @Test
    void aCommandThatCannotStartIsAFailure() {
        CheckProcess.Result result = CheckProcess.run(List.of("./no-such-check"), dir, Map.of(), 20_000, 4096, 50);
        assertThat(result.conclusion()).isEqualTo("failure");
        assertThat(result.summary()).startsWith("the check command could not start");
    }
}
