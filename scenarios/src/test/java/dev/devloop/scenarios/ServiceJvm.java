package dev.devloop.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JVM the scenarios start a packaged service on: the one {@code deploy/devloop up} picks (the newest JDK 21+
 * under {@code /usr/lib/jvm}, {@code DEVLOOP_SERVICE_JAVA_HOME} to choose; deploy/lib/java.sh), else the build's.
 * On JDK 25+ each service gets the JVM's AOT cache as deploy gives it: the first stack of a run records it when its
 * services stop, the later stacks map it and start on about a third of the CPU (docs/verification.md#test-time).
 * {@code DEVLOOP_SCENARIOS_AOT_CACHES} ({@code module=file,...}; deploy/test/scenarios.sh sets it in deploy/devloop
 * test's lane) names caches {@code deploy/devloop up} recorded for these very jars: every stack maps those and none is
 * recorded (an AOT cache holds the class path it was made for, not the heap, GC or JIT options).
 */
final class ServiceJvm {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final String COMPLETE = "AOTCache creation is complete: ";

    static final ServiceJvm CURRENT = detect();

    final Path java;
    final int major;

    private ServiceJvm(Path home, int major) {
        this.java = home.resolve("bin/java");
        this.major = major;
    }

    /** The options of one start of the service packaged in {@code app} (its quarkus-app directory). */
    Start start(Path app, String module) throws IOException {
        return start(app, module, System.getenv("DEVLOOP_SCENARIOS_AOT_CACHES"));
    }

    /** {@link #start(Path, String)} with the caches {@code DEVLOOP_SCENARIOS_AOT_CACHES} would name (or null). */
    Start start(Path app, String module, String givenCaches) throws IOException {
        List<String> options = new ArrayList<>();
        if (major >= 24) { // Netty's and the ONNX runtime's Unsafe and native access, as deploy/lib/java.sh allows them
            options.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        if (major < 25 || "false".equals(System.getProperty("devloop.scenarios.aot-cache"))) {
            return new Start(options, Optional.empty(), false);
        }
        Optional<Path> given = given(givenCaches, module);
        if (given.isPresent()) {
            options.add("-XX:AOTCache=" + given.get());
            return new Start(options, Optional.empty(), true);
        }
        String root = System.getProperty("devloop.root");
        if (root == null) {
            return new Start(options, Optional.empty(), false);
        }
        // the build's own cache; a copy of its files elsewhere (TracingScenarioTest's hard links: same names, sizes and
        // times, so the same key) maps it too (the JVM accepts a class path moved as a whole) but never records one
        Path cache = Path.of(root, module, "target", "scenario-aot", module + "-" + key(app) + ".aot");
        if (Files.exists(cache) && Files.size(cache) > 0) {
            options.add("-XX:AOTCache=" + cache);
            return new Start(options, Optional.empty(), true);
        }
        if (!builtHere(app, module)) {
            return new Start(options, Optional.empty(), false);
        }
        Files.createDirectories(cache.getParent());
        Path recording = Path.of(cache + ".rec");
        Files.deleteIfExists(recording);
        // -Xlog:…=off: the JVM lists every class it cannot cache (about 2 000 lines) otherwise
        options.addAll(List.of("-XX:AOTCacheOutput=" + recording, "-Xlog:aot=off", "-Xlog:cds=off"));
        return new Start(options, Optional.of(cache), false);
    }

    /** The cache that {@code caches} ({@code module=file,...}) names for the module, when that file is there. */
    static Optional<Path> given(String caches, String module) throws IOException {
        if (caches == null) {
            return Optional.empty();
        }
        for (String entry : caches.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).trim().equals(module)) {
                Path cache = Path.of(entry.substring(eq + 1).trim());
                if (Files.isRegularFile(cache) && Files.size(cache) > 0) {
                    return Optional.of(cache);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Only the build's own output records a cache: a copy elsewhere (TracingScenarioTest's snapshot) would record one
     * per start, and a JVM recording its cache is the slowest to start on a loaded box.
     */
    private static boolean builtHere(Path app, String module) {
        String root = System.getProperty("devloop.root");
        return root != null
                && app.toAbsolutePath()
                        .normalize()
                        .equals(Path.of(root, module, "target", "quarkus-app")
                                .toAbsolutePath()
                                .normalize());
    }

    /**
     * Keeps a cache the stopped service recorded once its JVM logged that the cache is whole (one cut short would
     * crash the next JVM that maps it), and drops it otherwise.
     */
    static void keepRecorded(Path cache, Path log) {
        Path recording = Path.of(cache + ".rec");
        try {
            if (Files.exists(recording) && Files.readString(log).contains(COMPLETE + recording)) {
                Files.move(recording, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rebuilt service or another JVM records a new cache: the key covers every file of the app and the JVM. */
    private String key(Path app) throws IOException {
        try (Stream<Path> files = Files.walk(app)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((java + "\n").getBytes());
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update((app.relativize(file) + " " + Files.size(file) + " "
                                + Files.getLastModifiedTime(file).toMillis() + "\n")
                        .getBytes());
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServiceJvm detect() {
        Path build = Path.of(System.getProperty("java.home"));
        String chosen = System.getenv("DEVLOOP_SERVICE_JAVA_HOME");
        if (chosen != null && !chosen.isBlank()) {
            return new ServiceJvm(Path.of(chosen), major(Path.of(chosen)));
        }
        ServiceJvm best = new ServiceJvm(build, Runtime.version().feature());
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.filter(h -> !Files.isSymbolicLink(h) && Files.isExecutable(h.resolve("bin/java")))
                    .toList()) {
                int major = major(home);
                if (major >= 21 && major > best.major) {
                    best = new ServiceJvm(home, major);
                }
            }
        } catch (IOException noJvmDirectory) {
            // the build's JDK then
        }
        return best;
    }

    private static int major(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The JVM options of one start; when it records the AOT cache, the cache it records; whether it maps one (recorded
     * by a start that ran provider-gateway's hot-path warm-up, whose method profiles the cache holds).
     */
    record Start(List<String> options, Optional<Path> recording, boolean mapsCache) {}
}
