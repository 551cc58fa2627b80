package dev.devloop.tools.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * ci} when {@code node_modules} is missing, starts the SDK server and the SDK client's process (side by side: neither
 * waits for the other's start). Tests are skipped only when {@code node} is not installed.
 */
public final class NodeMcp {
    public static final Path DIR = Path.of("src/test/node").toAbsolutePath();

    /** A node process of the fixtures: every line it prints, in order; stopped on close. */
    public abstract static class NodeProcess implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        /** {@code withErrors}: its stderr lines too (else discarded: they would break the client's protocol). */
        NodeProcess(boolean withErrors, String... command) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile());
            if (withErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            process = builder.start();
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
                    "sdk-" + command[1] + "-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line, once the process printed it; it must start with {@code prefix}. */
        String awaitFirst(String prefix, String what) throws InterruptedException {
            String first = lines.poll(30, TimeUnit.SECONDS);
            if (first == null || !first.startsWith(prefix)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not start: " + first);
            }
            return first;
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

    /** A running SDK server: its port (once {@link #awaitReady()} returned) and every line it printed. */
    public static final class Server extends NodeProcess {
        private int port;

        private Server() throws IOException {
            super(true, "node", "mcp-server.mjs");
        }

        public Server awaitReady() throws InterruptedException {
            port = Integer.parseInt(awaitFirst("LISTENING ", "the SDK server")
                    .substring("LISTENING ".length())
                    .trim());
            return this;
        }

        public int port() {
            return port;
        }

        /** Lines printed so far. */
        public List<String> output() {
            List<String> out = new ArrayList<>();
            lines.drainTo(out);
            return out;
        }
    }

    /**
     * The SDK client in one long-lived node process ({@code mcp-client.mjs --serve}): each {@link #run} is a new
     * client and transport, as a fresh {@code node mcp-client.mjs} would be, without loading node and the SDK again.
     */
    public static final class Clients extends NodeProcess {
        private final ObjectMapper json = new ObjectMapper();

        private Clients() throws IOException {
            super(false, "node", "mcp-client.mjs", "--serve");
        }

        public Clients awaitReady() throws InterruptedException {
            awaitFirst("READY", "the SDK client");
            return this;
        }

        /**
         * One client session ({@code mcp-client.mjs <args>}); {@code authorization} (null = none) is the {@code
         * Authorization} header it sends on every request.
         */
        public synchronized ClientRun run(String authorization, String... args)
                throws IOException, InterruptedException {
            ObjectNode request = json.createObjectNode();
            ArrayNode list = request.putArray("args");
            for (String arg : args) {
                list.add(arg);
            }
            request.put("authorization", authorization);
            OutputStream in = process.getOutputStream();
            in.write((json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String answer = lines.poll(60, TimeUnit.SECONDS);
            if (answer == null) {
                throw new IllegalStateException("the SDK client did not finish within 60 s");
            }
            JsonNode reply = json.readTree(answer);
            return new ClientRun(
                    reply.path("exit").asInt(-1), reply.path("stdout").asText().trim());
        }
    }

    /** The finished SDK client session: its exit code and what it printed. */
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

    /** Starts the SDK server; {@link Server#awaitReady()} waits for its port. */
    public static Server launchServer() throws IOException {
        return new Server();
    }

    /** Starts the SDK client process; {@link Clients#awaitReady()} waits for it. */
    public static Clients launchClients() throws IOException {
        return new Clients();
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
