package dev.devloop.tools.adapters.out.jsonschema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.devloop.tools.domain.ArgumentViolation;
import dev.devloop.tools.domain.ParameterSchema;
import dev.devloop.tools.ports.out.ArgumentSchemaPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON-schema validation with networknt json-schema-validator (draft 2020-12 by default). Schemas may
 * only load documents from the classpath (the bundled meta-schemas), never from the network.
 */
public class NetworkntArgumentSchemas implements ArgumentSchemaPort {
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    /** Keywords whose message names a property below the instance location rather than at it. */
    private static final Set<String> PROPERTY_KEYWORDS =
            Set.of("required", "additionalProperties", "dependentRequired", "unevaluatedProperties", "dependencies");

    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final int cacheSize;

    public NetworkntArgumentSchemas(int cacheSize) {
        this.cacheSize = cacheSize;
        this.factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.values(list ->
                        list.add(0, new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:"))))));
        this.config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
    }

    @Override
    public List<ArgumentViolation> validate(ParameterSchema schema, JsonNode arguments) {
        Set<ValidationMessage> messages = schema(schema).validate(arguments);
        List<ArgumentViolation> violations = new ArrayList<>();
        for (ValidationMessage m : messages) {
            violations.add(new ArgumentViolation(field(m), m.getError() != null ? m.getError() : m.getMessage()));
        }
        violations.sort(Comparator.comparing(ArgumentViolation::field).thenComparing(ArgumentViolation::message));
        return violations;
    }

    @Override
    public List<String> schemaProblems(JsonNode schema) {
        List<String> problems = new ArrayList<>();
        try {
            JsonSchema meta = factory.getSchema(SchemaLocation.of(META_SCHEMA), config);
            for (ValidationMessage m : meta.validate(schema)) {
                problems.add(m.getMessage());
            }
            if (problems.isEmpty()) {
                factory.getSchema(schema, config).initializeValidators();
            }
        } catch (JsonSchemaException | IllegalArgumentException e) {
            problems.add("the parameter schema does not compile: " + e.getMessage());
        }
        return problems;
    }

    private JsonSchema schema(ParameterSchema schema) {
        String key = schema.json();
        JsonSchema found = compiled.get(key);
        if (found != null) {
            return found;
        }
        if (compiled.size() >= cacheSize) {
            compiled.clear();
        }
        JsonSchema fresh = factory.getSchema(key, config);
        fresh.initializeValidators();
        compiled.put(key, fresh);
        return fresh;
    }

    /** "/a/b" plus the named property → "a.b.property"; the whole object → "arguments". */
    private static String field(ValidationMessage m) {
        List<String> parts = new ArrayList<>();
        String location =
                m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        for (String part : location.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        if (PROPERTY_KEYWORDS.contains(m.getType()) && m.getProperty() != null) {
            parts.add(m.getProperty());
        }
        return parts.isEmpty() ? "arguments" : String.join(".", parts);
    }
}
