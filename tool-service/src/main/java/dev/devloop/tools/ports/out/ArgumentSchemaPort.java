package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.tools.domain.ArgumentViolation;
import dev.devloop.tools.domain.ParameterSchema;
import java.util.List;

/** Outgoing port to a JSON-schema validator. */
public interface ArgumentSchemaPort {
    /** Violations of {@code schema} by {@code arguments}, most specific first; empty when valid. */
    List<ArgumentViolation> validate(ParameterSchema schema, JsonNode arguments);

    /** Why {@code schema} is not a usable schema; empty when it compiles. */
    List<String> schemaProblems(JsonNode schema);
}
