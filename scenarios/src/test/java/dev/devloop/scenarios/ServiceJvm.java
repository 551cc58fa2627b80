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
        List<String> options = new ArrayList<>();
        if (major >= 24) { // Netty's and the ONNX runtime's Unsafe and native access, as deploy/lib/java.sh allows them
            options.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        if (major < 25
                || "false".equals(System.getProperty("devloop.scenarios.aot-cache"))
                || !builtHere(app, module)) {
            return new Start(options, Optional.empty());
        }
        Path cache = app.getParent().resolve("scenario-aot").resolve(module + "-" + key(app) + ".aot");
        if (Files.exists(cache) && Files.size(cache) > 0) {
            options.add("-XX:AOTCache=" + cache);
            return new Start(options, Optional.empty());
        }
        Files.createDirectories(cache.getParent());
        Path recording = Path.of(cache + ".rec");
        Files.deleteIfExists(recording);
        // -Xlog:…=off: the JVM lists every class it cannot cache (about 2 000 lines) otherwise
        options.addAll(List.of("-XX:AOTCacheOutput=" + recording, "-Xlog:aot=off", "-Xlog:cds=off"));
        return new Start(options, Optional.of(cache));
    }

    /**
     * Only the build's own output gets a cache: a copy elsewhere (TracingScenarioTest's snapshot) would record one
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

    /** The JVM options of one start and, when it records the AOT cache, the cache it records. */
    record Start(List<String> options, Optional<Path> recording) {}
}
