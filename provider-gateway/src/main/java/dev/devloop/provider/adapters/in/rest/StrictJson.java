package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;

/**
 * Request-record fields that take only their own JSON type: Jackson would otherwise turn {@code 5} into the string
 * {@code "5"} and {@code 1} into {@code true}. A wrong type fails with the field's name in the path, which contracts'
 * mapper answers as a 400 problem naming the field.
 */
final class StrictJson {
    private StrictJson() {}

    /** A JSON string only. */
    @RegisterForReflection
    public static final class Text extends StdScalarDeserializer<String> {
        public Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            throw MismatchedInputException.from(p, String.class, p.currentName() + " must be a string");
        }
    }

    /** A JSON boolean only. */
    @RegisterForReflection
    public static final class Flag extends StdScalarDeserializer<Boolean> {
        public Flag() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_TRUE || p.currentToken() == JsonToken.VALUE_FALSE) {
                return p.getBooleanValue();
            }
            throw MismatchedInputException.from(p, Boolean.class, p.currentName() + " must be true or false");
        }
    }
}
