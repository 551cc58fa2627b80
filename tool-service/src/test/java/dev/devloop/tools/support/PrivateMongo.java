package dev.devloop.tools.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MongoDB for outage tests — the local stack's own server program (mongo-java-server with its H2 store, the
 * jars {@code deploy/devloop servers up} installs under {@code .devloop/servers/mongo/lib}; {@code DEVLOOP_MONGO_LIB}
 * overrides) in its own process, on a free port, with its data in a temp file. {@link #stop()} ends the process
 * (SIGTERM: its store is closed), {@link #start()} runs it again on the same port and data: an outage the test
 * controls, without touching the shared server.
 */
public final class PrivateMongo implements AutoCloseable {
    private static final long READY_WAIT_MS = 30_000;
    private final Path lib;
    private final Path data;
    private final int port;
    private final Path log;
    private volatile Process process;

    public PrivateMongo() {
        // a test JVM that dies leaves no server behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }));
        lib = Path.of(System.getenv().getOrDefault("DEVLOOP_MONGO_LIB", "../.devloop/servers/mongo/lib"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: run deploy/devloop servers up (it installs the local "
                    + "MongoDB's jars there) or set DEVLOOP_MONGO_LIB");
        }
        try {
            data = Files.createTempDirectory("devloop-private-mongo").resolve("data.mv.db");
            log = Files.createDirectories(Path.of("target")).resolve("private-mongo.log");
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "mongodb://127.0.0.1:" + port;
    }

    /** Starts the server (again; a running one is left as it is) and returns once it accepts connections. */
    public PrivateMongo start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                lib + "/*",
                "dev.devloop.deploy.mongo.MongoLauncher",
                "127.0.0.1",
                Integer.toString(port),
                data.toString());
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WAIT_MS);
        while (!accepting()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the private MongoDB did not start; see " + log.toAbsolutePath());
            }
            sleep(50);
        }
        return this;
    }

    /** Ends the server (its store closed by its shutdown hook) and returns once the port refuses connections. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        if (accepting()) {
            throw new IllegalStateException("the private MongoDB still accepts connections after its stop");
        }
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(data);
            Files.deleteIfExists(data.getParent());
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }
}
