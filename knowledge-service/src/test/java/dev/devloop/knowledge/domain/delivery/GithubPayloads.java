package dev.devloop.knowledge.domain.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The real GitHub webhook payloads of src/test/resources/github (see the README there). */
public final class GithubPayloads {
    /** The feature the payloads' branches and markers name. */
    public static final String FEATURE = "checkout-flow";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The payload's JSON text, e.g. {@code text("pull_request.opened")}. */
    public static String text(String name) {
        try (InputStream in = GithubPayloads.class.getResourceAsStream("/github/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no payload " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> map(String name) {
        try {
            return JSON.readValue(text(name), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GithubPayloads() {}
}
