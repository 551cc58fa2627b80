package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.devloop.contracts.problem.Refusal;
import java.io.IOException;

/**
 * Binds a JSON body to its record strictly, for the gateway's own writes: an unknown field, a string where a number
 * is expected (or a number where a string is), a fraction where a whole number is — each a 400 naming the field
 * ({@code requests[0].path}), where Jackson's defaults would coerce or ignore. The bodies are read as bytes so this,
 * not the shared JAX-RS mapper, decides.
 */
final class StrictBodies {
    private static final ObjectMapper STRICT = strict();

    private StrictBodies() {}

    private static ObjectMapper strict() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        // Jackson coerces scalars to String regardless of ALLOW_COERCION_OF_SCALARS
        for (CoercionInputShape shape : new CoercionInputShape[] {
            CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The body as {@code type}; null when there is none; a 400 naming the field when it does not fit. */
    static <T> T read(byte[] body, Class<T> type, String shape) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            return STRICT.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw Refusal.invalid(field(e, e.getPropertyName()), "unknown field; the body is " + shape);
        } catch (JsonMappingException e) {
            throw Refusal.invalid(field(e, null), "wrong type; the body is " + shape);
        } catch (JsonProcessingException e) {
            throw Refusal.invalid("body", "the body is not JSON; it is " + shape);
        } catch (IOException e) {
            throw Refusal.invalid("body", "the body could not be read");
        }
    }

    private static String field(JsonMappingException e, String unknown) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                field.append(field.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        // an unknown field's path already ends with its own name
        if (field.length() == 0) {
            return unknown == null ? "body" : unknown;
        }
        return field.toString();
    }
}
