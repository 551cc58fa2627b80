package dev.devloop.tools.adapters.out.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The recorded GitHub bodies of {@code src/test/resources/github-api} (see its README) and a clock tests move. */
final class GitHubFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private GitHubFixtures() {}

    /** A fixture body as a mutable tree (tests change a field, e.g. a PR's state). */
    static JsonNode tree(String name) {
        try (InputStream in = GitHubFixtures.class.getResourceAsStream("/github-api/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture github-api/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object(String name) {
        return (ObjectNode) tree(name);
    }

    static ArrayNode array(String name) {
        return (ArrayNode) tree(name);
    }

    static String text(String name) {
        return tree(name).toString();
    }

    /** A fixture file as text (a job log). */
    static String raw(String name) {
        try (InputStream in = GitHubFixtures.class.getResourceAsStream("/github-api/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture github-api/" + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(JsonNode node) {
        return node.toString();
    }
}
