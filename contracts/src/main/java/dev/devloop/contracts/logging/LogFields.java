package dev.devloop.contracts.logging;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One log line with structured fields: the message says what happened in words, the fields carry the values as
 * their own JSON keys (the JSON console puts them under {@code mdc}; the dev console shows them with {@code %X}),
 * instead of {@code key=value} pairs inside the message. The fields live only for the one line: what was in the
 * MDC before is restored.
 *
 * <pre>{@code LogFields.of("tenant", tenant, "run", run.id()).info(LOG, "run resumed");}</pre>
 */
public final class LogFields {
    private final List<String> keys;
    private final List<Object> values;

    private LogFields(List<String> keys, List<Object> values) {
        this.keys = keys;
        this.values = values;
    }

    /** Fields from alternating names and values; a null value is left out. */
    public static LogFields of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in name/value pairs");
        }
        List<String> keys = new ArrayList<>(namesAndValues.length / 2);
        List<Object> values = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                keys.add(String.valueOf(namesAndValues[i]));
                values.add(namesAndValues[i + 1]);
            }
        }
        return new LogFields(keys, values);
    }

    /** These fields and one more. */
    public LogFields and(String name, Object value) {
        if (value == null) {
            return this;
        }
        List<String> k = new ArrayList<>(keys);
        List<Object> v = new ArrayList<>(values);
        k.add(name);
        v.add(value);
        return new LogFields(k, v);
    }

    public void info(Logger log, String message) {
        emit(log, Logger.Level.INFO, null, message);
    }

    public void warn(Logger log, String message) {
        emit(log, Logger.Level.WARN, null, message);
    }

    public void warn(Logger log, Throwable error, String message) {
        emit(log, Logger.Level.WARN, error, message);
    }

    public void error(Logger log, Throwable error, String message) {
        emit(log, Logger.Level.ERROR, error, message);
    }

    public void debug(Logger log, String message) {
        emit(log, Logger.Level.DEBUG, null, message);
    }

    private void emit(Logger log, Logger.Level level, Throwable error, String message) {
        if (!log.isEnabled(level)) {
            return;
        }
        Object[] previous = new Object[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            previous[i] = MDC.put(keys.get(i), String.valueOf(values.get(i)));
        }
        try {
            log.log(level, message, error);
        } finally {
            for (int i = keys.size() - 1; i >= 0; i--) {
                if (previous[i] == null) {
                    MDC.remove(keys.get(i));
                } else {
                    MDC.put(keys.get(i), previous[i]);
                }
            }
        }
    }
}
