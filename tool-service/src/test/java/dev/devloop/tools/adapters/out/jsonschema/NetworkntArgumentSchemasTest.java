package dev.devloop.tools.adapters.out.jsonschema;

import static dev.devloop.tools.support.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ArgumentViolation;
import dev.devloop.tools.domain.ParameterSchema;
import org.junit.jupiter.api.Test;

/** The networknt validator adapter: field names of violations and schema checks. */
class NetworkntArgumentSchemasTest {
    private final NetworkntArgumentSchemas schemas = new NetworkntArgumentSchemas(8);
    private final JsonNode schema = json("""
      {"type":"object","properties":{
        "path":{"type":"string","maxLength":10},
        "options":{"type":"object","properties":{"depth":{"type":"integer","maximum":3}},"required":["depth"]}},
       "required":["path"],"additionalProperties":false}""");
    private final ParameterSchema parameters = new ParameterSchema(schema.toString());

    @Test
    void validArgumentsHaveNoViolations() {
        assertThat(schemas.validate(parameters, json("{\"path\":\"a\",\"options\":{\"depth\":1}}")))
                .isEmpty();
    }

    @Test
    void violationsNameTheArgumentPath() {
        assertThat(schemas.validate(parameters, json("{}")))
                .extracting(ArgumentViolation::field)
                .containsExactly("path");
        assertThat(schemas.validate(parameters, json("{\"path\":\"abcdefghijkl\"}")))
                .extracting(ArgumentViolation::field)
                .containsExactly("path");
        assertThat(schemas.validate(parameters, json("{\"path\":\"a\",\"options\":{\"depth\":9}}")))
                .extracting(ArgumentViolation::field)
                .containsExactly("options.depth");
        assertThat(schemas.validate(parameters, json("{\"path\":\"a\",\"options\":{}}")))
                .extracting(ArgumentViolation::field)
                .containsExactly("options.depth");
        assertThat(schemas.validate(parameters, json("{\"path\":\"a\",\"mode\":1}")))
                .extracting(ArgumentViolation::field)
                .containsExactly("mode");
    }

    @Test
    void schemaProblemsAreReportedAgainstTheMetaSchema() {
        assertThat(schemas.schemaProblems(schema)).isEmpty();
        assertThat(schemas.schemaProblems(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"}}}")))
                .isNotEmpty();
    }
}
