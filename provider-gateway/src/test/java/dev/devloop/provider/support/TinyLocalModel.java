package dev.devloop.provider.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a {@link TinyGguf} model to a temp file and points the {@code local} provider at it. */
public class TinyLocalModel implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "tiny-test";
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("devloop-gguf");
            Path file = TinyGguf.write(dir.resolve(MODEL + ".gguf"), 42);
            return Map.of(
                    "devloop.provider.local.model-path", file.toString(),
                    "devloop.provider.local.threads", "1",
                    "devloop.provider.local.ctx-size", "1024",
                    "devloop.provider.local.max-tokens", "400",
                    // random weights: make the tool test deterministic (auto lets the model answer text instead)
                    "devloop.provider.local.tool-choice", "required");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException ignored) {
            // temp dir: best effort
        }
    }
}
