package dev.devloop.tools.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the official MCP TypeScript SDK fixtures in {@code src/test/node}: installs them with {@code npm
 * ci} when {@code node_modules} is missing, starts the SDK server, runs the SDK client. Tests are
 * skipped only when {@code node} is not installed.
 */
public final class NodeMcp {
    public static final Path DIR = Path.of("src/test/node").toAbsolutePath();

    /** A running SDK server: its port and every line it printed. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines;
        public final int port;

        Server(Process process, BlockingQueue<String> lines, int port) {
            this.process = process;
            this.lines = lines;
            this.port = port;
        }

        /** Lines printed so far. */
        public List<String> output() {
            List<String> out = new ArrayList<>();
            lines.drainTo(out);
            return out;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The finished SDK client: exit code and its stdout. */
    public record ClientRun(int exitCode, String stdout) {}

    /** Skips the test when node is missing; installs the SDK when needed. */
    public static void prepare() throws IOException, InterruptedException {
        assumeTrue(available("node"), "node is not installed");
        if (!Files.isDirectory(DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
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

    public static Server startServer() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("node", "mcp-server.mjs")
                .directory(DIR.toFile())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("READ FAILED " + e.getMessage());
                    }
                },
                "sdk-mcp-server-output");
        reader.setDaemon(true);
        reader.start();
        String first = lines.poll(30, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("LISTENING ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the SDK server did not start: " + first);
        }
        return new Server(
                process,
                lines,
                Integer.parseInt(first.substring("LISTENING ".length()).trim()));
    }

    /**
     * Runs the SDK client ({@code mcp-client.mjs <args>}); {@code authorization} (null = none) is the
     * {@code Authorization} header it sends on every request.
     */
    public static ClientRun runClient(String authorization, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "mcp-client.mjs"));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("MCP_AUTHORIZATION");
        if (authorization != null) {
            builder.environment().put("MCP_AUTHORIZATION", authorization);
        }
        Process process = builder.start();
        byte[] out;
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the SDK client did not finish within 60 s");
        }
        out = process.getInputStream().readAllBytes();
        return new ClientRun(process.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
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

    private NodeMcp() {}
}
