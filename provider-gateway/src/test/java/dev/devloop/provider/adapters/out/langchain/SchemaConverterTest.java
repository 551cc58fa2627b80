package dev.devloop.provider.adapters.out.langchain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON schema → LangChain4j element conversion, checked element by element (the wire shape is asserted in OpenAiGenerateTest). */
class SchemaConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCHEMA = """
      {"type":"object","description":"args","additionalProperties":false,
       "properties":{
         "entity":{"type":"string","description":"the entity"},
         "count":{"type":"integer"},
         "ratio":{"type":"number"},
         "force":{"type":"boolean"},
         "tier":{"type":"string","enum":["short","medium","long"]},
         "tags":{"type":"array","items":{"type":"string"}},
         "owner":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]},
         "note":{"type":["string","null"]},
         "either":{"anyOf":[{"type":"string"},{"type":"integer"}]},
         "email":{"type":"string","format":"email"}
       },
       "required":["entity","tier"]}
      """;

    @Test
    void convertsEveryKind() throws Exception {
        JsonObjectSchema s = SchemaConverter.parameters(JSON.readTree(SCHEMA));
        assertThat(s.description()).isEqualTo("args");
        assertThat(s.required()).containsExactly("entity", "tier");
        assertThat(s.additionalProperties()).isFalse();
        Map<String, ?> p = s.properties();
        assertThat(p.get("entity")).isInstanceOf(JsonStringSchema.class);
        assertThat(((JsonStringSchema) p.get("entity")).description()).isEqualTo("the entity");
        assertThat(p.get("count")).isInstanceOf(JsonIntegerSchema.class);
        assertThat(p.get("ratio")).isInstanceOf(JsonNumberSchema.class);
        assertThat(p.get("force")).isInstanceOf(JsonBooleanSchema.class);
        assertThat(((JsonEnumSchema) p.get("tier")).enumValues()).containsExactly("short", "medium", "long");
        assertThat(((JsonArraySchema) p.get("tags")).items()).isInstanceOf(JsonStringSchema.class);
        JsonObjectSchema owner = (JsonObjectSchema) p.get("owner");
        assertThat(owner.required()).containsExactly("name");
        assertThat(owner.properties().get("name")).isInstanceOf(JsonStringSchema.class);
        assertThat(((JsonAnyOfSchema) p.get("note")).anyOf()).hasSize(2);
        assertThat(((JsonAnyOfSchema) p.get("either")).anyOf()).hasSize(2);
        assertThat(p.get("email")).isInstanceOf(JsonRawSchema.class);
    }
}
