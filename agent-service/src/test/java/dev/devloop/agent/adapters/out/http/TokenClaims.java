package dev.devloop.agent.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** The payload of a {@code Bearer <JWT>} header as a WireMock sibling received it (read, not verified). */
final class TokenClaims {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode of(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new AssertionError("not a bearer credential: " + authorization);
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            throw new AssertionError("not a signed JWT: " + authorization);
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TokenClaims() {}
}
