package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One mechanism for every typed request parameter of every route: numbers and booleans are parsed strictly and a
 * malformed value ({@code limit=abc}, {@code limit=99999999999999999999}, {@code depth=-1}, {@code wait=yes}) is a
 * 400 problem+json naming the parameter. (Without this, JAX-RS answers a bare 404 for a query or path parameter
 * it cannot convert.) Every number the gateway takes is a count, so negative values are refused too.
 */
@Provider
public class StrictParams implements ParamConverterProvider {

    /** A parameter that could not be converted; mapped to 400 naming it. */
    public static final class InvalidParameter extends BadRequestException {
        private final transient Problem problem;

        InvalidParameter(String name, String detail) {
            super(detail);
            this.problem = Problem.invalidField(name, detail);
        }

        Problem problem() {
            return problem;
        }
    }

    @ServerExceptionMapper
    public Response invalid(InvalidParameter e) {
        return ProblemResponses.of(e.problem());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = nameOf(annotations);
        if (name == null) {
            return null;
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) new Whole<>(name, Integer.MAX_VALUE, v -> (int) v);
        }
        if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) new Whole<>(name, Long.MAX_VALUE, v -> v);
        }
        if (rawType == Boolean.class || rawType == boolean.class) {
            return (ParamConverter<T>) new Flag(name);
        }
        return null;
    }

    private static String nameOf(Annotation[] annotations) {
        if (annotations == null) {
            return null;
        }
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam q) {
                return q.value();
            }
            if (annotation instanceof PathParam p) {
                return p.value();
            }
            if (annotation instanceof HeaderParam h) {
                return h.value();
            }
        }
        return null;
    }

    /** Parses a non-negative whole number of at most {@code max}, digits only. */
    static long parseCount(String name, String value, long max) {
        if (value == null || value.isEmpty()) {
            throw new InvalidParameter(name, name + " must be a whole number from 0 to " + max);
        }
        if (value.length() > 19) {
            throw new InvalidParameter(name, name + " must be a whole number from 0 to " + max);
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidParameter(name, name + " must be a whole number from 0 to " + max);
            }
            if (n > (max - (c - '0')) / 10) {
                throw new InvalidParameter(name, name + " must be a whole number from 0 to " + max);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private interface Narrow<T> {
        T of(long value);
    }

    private record Whole<T>(String name, long max, Narrow<T> narrow) implements ParamConverter<T> {
        @Override
        public T fromString(String value) {
            return value == null ? null : narrow.of(parseCount(name, value, max));
        }

        @Override
        public String toString(T value) {
            return value == null ? null : value.toString();
        }
    }

    private record Flag(String name) implements ParamConverter<Boolean> {
        @Override
        public Boolean fromString(String value) {
            if (value == null) {
                return null;
            }
            if ("true".equals(value)) {
                return Boolean.TRUE;
            }
            if ("false".equals(value)) {
                return Boolean.FALSE;
            }
            throw new InvalidParameter(name, name + " must be true or false");
        }

        @Override
        public String toString(Boolean value) {
            return value == null ? null : value.toString();
        }
    }
}
