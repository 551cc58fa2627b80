package dev.devloop.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image runs the JVM that deploy/devloop and the bench run: Dockerfile.jvm's {@code JAVA_OPTS_APPEND} carries
 * exactly the flags of {@code jvm.options}, in order, and the same malloc arena cap the bench and deploy set.
 */
class JvmOptionsInStepTest {
    private static final Pattern JAVA_OPTS = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"");

    @Test
    void theImageCarriesTheFlagsOfJvmOptions() throws Exception {
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        Matcher opts = JAVA_OPTS.matcher(dockerfile);
        assertThat(opts.find()).as("JAVA_OPTS_APPEND in Dockerfile.jvm").isTrue();
        List<String> imageFlags = Arrays.stream(opts.group(1).trim().split("\\s+"))
                .filter(flag -> !flag.startsWith("-Djava.util.logging.manager="))
                .toList();

        assertThat(imageFlags).containsExactlyElementsOf(PackagedLocalEmbeddingsIT.jvmOptions(Path.of("jvm.options")));
        assertThat(dockerfile).containsPattern("(?m)^ENV MALLOC_ARENA_MAX=2$");
    }
}
