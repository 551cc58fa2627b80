package dev.devloop.knowledge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTextTest {
    @Test
    void typeIdAndPropertiesBecomePlainWords() {
        assertThat(EntityText.of(
                        "database",
                        "orders-db",
                        "{\"description\":\"PostgreSQL, orders\",\"tier\":1,\"tags\":[\"a\",\"b\"]}"))
                .isEqualTo("database: orders-db. description: PostgreSQL; orders ; tier:1; tags: a ; b");
        assertThat(EntityText.of(null, "web-1", "{}")).isEqualTo("web-1");
        assertThat(EntityText.of("host", "n", "{\"snake_case_key\":\"v\"}")).isEqualTo("host: n. snake case key: v");
    }

    @Test
    void theTextIsBounded() {
        String text = EntityText.of("t", "id", "{\"x\":\"" + "word ".repeat(2000) + "\"}");
        assertThat(text).hasSize(EntityText.MAX_CHARACTERS);
    }
}
