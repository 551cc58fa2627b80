package dev.devloop.gateway.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/dashboard/dashboard-e2e.mjs} (playwright-core driving Debian's Chromium):
 * installs it with {@code npm ci} when {@code node_modules} is missing. Tests are skipped only when node
 * or Chromium is not installed.
 */
public final class NodeDashboard {
    public static final Path DIR = Path.of("src/test/node/dashboard").toAbsolutePath();
    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private NodeDashboard() {}

    /** What the script printed and its exit code. */
    public record Run(int exitCode, String stdout) {}

    /** Skips the test when node or Chromium is missing; installs playwright-core when needed. */
    public static void prepare() throws IOException, InterruptedException {
        assumeTrue(available("node"), "node is not installed");
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install -y chromium)");
        if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + DIR);
            }
        }
    }

    public static Run run(String baseUrl, String token, Path screenshot, String... scenario)
            throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(
                java.util.List.of("node", "dashboard-e2e.mjs", baseUrl, token, screenshot.toString()));
        command.addAll(java.util.List.of(scenario));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the dashboard script did not finish within 180 s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Run(process.exitValue(), out);
    }

    private static boolean available(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
