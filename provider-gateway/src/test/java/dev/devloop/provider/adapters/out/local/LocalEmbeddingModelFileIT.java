package dev.devloop.provider.adapters.out.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process embedding model loaded from its extracted file (stop 30): extracted once into the configured
 * directory under a name carrying its SHA-256, found again by a second start, re-extracted when the file on disk does
 * not match, and giving the same vectors as LangChain4j's jar loader (the path used before).
 */
class LocalEmbeddingModelFileIT {
    private static final List<String> TEXTS =
            List.of("The cat sits on the mat", "Quarterly revenue grew by ten percent");

    @TempDir
    Path dir;

    @Test
    void extractsTheModelOnceAndGivesTheJarLoadersVectors() throws IOException {
        List<float[]> first = new LocalEmbeddingProvider(dir)
                .embed(LocalEmbeddingProvider.MODEL, TEXTS, null)
                .vectors();

        Map<String, FileTime> extracted = files();
        assertThat(extracted.keySet())
                .hasSize(2)
                .anyMatch(n -> n.matches("all-minilm-l6-v2-[0-9a-f]{16}\\.onnx"))
                .anyMatch(n -> n.matches("all-minilm-l6-v2-tokenizer-[0-9a-f]{16}\\.json"));

        // a second start finds the files (same names, not rewritten) and answers the same
        List<float[]> second = new LocalEmbeddingProvider(dir)
                .embed(LocalEmbeddingProvider.MODEL, TEXTS, null)
                .vectors();
        assertThat(files()).isEqualTo(extracted);
        assertThat(second).hasSize(2);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(second.get(i)).containsExactly(first.get(i));
        }

        // the jar loader (before stop 30) gives the same vectors
        AllMiniLmL6V2EmbeddingModel jarModel = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] before = jarModel.embed(TEXTS.get(i)).content().vector();
            assertThat(first.get(i)).hasSize(LocalEmbeddingProvider.DIMENSION);
            assertThat(first.get(i)).containsExactly(before, offset(1e-6f));
        }
    }

    @Test
    void rewritesAnExtractedFileWhoseHashDoesNotMatch() throws IOException {
        new LocalEmbeddingProvider(dir).embed(LocalEmbeddingProvider.MODEL, List.of("warm"), null);
        Path model;
        try (Stream<Path> s = Files.list(dir)) {
            model = s.filter(p -> p.getFileName().toString().endsWith(".onnx"))
                    .findFirst()
                    .orElseThrow();
        }
        long size = Files.size(model);
        Files.write(model, new byte[] {1, 2, 3});

        List<float[]> vectors = new LocalEmbeddingProvider(dir)
                .embed(LocalEmbeddingProvider.MODEL, TEXTS, null)
                .vectors();

        assertThat(Files.size(model)).isEqualTo(size);
        assertThat(vectors).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(LocalEmbeddingProvider.DIMENSION));
        assertThat(files()).hasSize(2);
    }

    private Map<String, FileTime> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toMap(p -> p.getFileName().toString(), LocalEmbeddingModelFileIT::modified));
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
