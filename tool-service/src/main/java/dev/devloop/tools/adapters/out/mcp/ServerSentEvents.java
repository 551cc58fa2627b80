package dev.devloop.tools.adapters.out.mcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A server-sent-events parser fed bytes as they arrive (lines are split on bytes, so a character split between two
 * chunks stays whole): each event's {@code data} lines (joined by newlines) go to
 * {@code onMessage} when the event is of type {@code message} (or names none). Comments, ids and retries are ignored.
 */
final class ServerSentEvents {
    private final Consumer<String> onMessage;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private String event = "";
    private boolean hasData;

    ServerSentEvents(Consumer<String> onMessage) {
        this.onMessage = onMessage;
    }

    void accept(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                line(takeLine());
            } else {
                pending.write(b);
            }
        }
    }

    private String takeLine() {
        byte[] line = pending.toByteArray();
        pending.reset();
        int end = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    /** The stream ended: an event not yet closed by a blank line still counts. */
    void end() {
        if (pending.size() > 0) {
            line(takeLine());
        }
        dispatch();
    }

    private void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("data")) {
            if (hasData) {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        } else if (field.equals("event")) {
            event = value;
        }
    }

    private void dispatch() {
        if (hasData && (event.isEmpty() || event.equals("message"))) {
            onMessage.accept(data.toString());
        }
        data.setLength(0);
        hasData = false;
        event = "";
    }
}
