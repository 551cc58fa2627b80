package dev.devloop.gateway.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The gateway's log lines while open, each with its message and its fields (the MDC the line was written with,
 * contracts {@code LogFields}): tests assert on both, as the JSON console writes them.
 */
public final class LogCapture implements AutoCloseable {
    /** One line: its message and its fields. */
    public record Line(String message, Map<String, String> fields) {}

    private final Logger logger = Logger.getLogger("dev.devloop.gateway");
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Map<String, String> fields = record instanceof ExtLogRecord ext ? Map.copyOf(ext.getMdcCopy()) : Map.of();
            lines.add(new Line(record.getMessage(), fields));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    public LogCapture() {
        logger.addHandler(handler);
    }

    /** The lines written so far with this message. */
    public List<Line> withMessage(String message) {
        return lines.stream().filter(line -> message.equals(line.message())).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
