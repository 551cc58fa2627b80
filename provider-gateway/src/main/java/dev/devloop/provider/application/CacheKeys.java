package dev.devloop.provider.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.provider.ports.out.GenerateCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The cache key of a request: SHA-256 over provider, model, messages, tools and output options. */
final class CacheKeys {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private CacheKeys() {}

    static String of(GenerateCommand command, String model) {
        ObjectNode material = CANONICAL.createObjectNode();
        material.put("v", 1);
        material.put("provider", command.provider());
        material.put("model", model);
        material.set("messages", CANONICAL.valueToTree(command.messages()));
        material.set("tools", CANONICAL.valueToTree(command.tools()));
        material.set("options", CANONICAL.valueToTree(command.options()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(material).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute a cache key", e);
        }
    }
}
