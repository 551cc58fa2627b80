package dev.devloop.tools.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.domain.BoundedRegex;
import dev.devloop.tools.domain.LogLine;
import dev.devloop.tools.domain.ToolKind;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.ServiceLogsPort;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code read_logs}: the last matching lines of an allow-listed Devloop service's log. The model names
 * a service, never a path; the read is bounded in bytes scanned, characters per line and lines
 * returned, and the optional regular expression in matching time.
 */
public class ReadLogsTool extends SingleTool {
    public static final String NAME = "read_logs";
    private final ServiceLogsPort logs;
    private final LogSettings settings;

    public ReadLogsTool(ServiceLogsPort logs, LogSettings settings) {
        super(NAME, ToolKind.NATIVE);
        this.logs = logs;
        this.settings = settings;
    }

    @Override
    public JsonNode execute(ToolCall call) {
        JsonNode args = call.arguments();
        String service = args.path("service").asText().toLowerCase(Locale.ROOT);
        if (!settings.services().contains(service)) {
            throw ToolProblems.denied(
                    "logAllowList",
                    "service",
                    "'" + service + "' is not a Devloop service whose logs may be read "
                            + new TreeSet<>(settings.services()));
        }
        int wanted = args.has("lines") ? args.get("lines").asInt() : settings.defaultLines();
        String minimum = args.has("level") ? args.get("level").asText().toUpperCase(Locale.ROOT) : null;
        int minimumRank = LogLine.rank(minimum);
        Pattern pattern = null;
        if (args.has("contains")) {
            try {
                pattern = Pattern.compile(args.get("contains").asText());
            } catch (PatternSyntaxException e) {
                throw ToolRefusal.invalid("contains", "not a valid regular expression: " + e.getDescription());
            }
        }
        ServiceLogsPort.Tail tail;
        try {
            tail = logs.tail(service, settings.maxScanBytes(), settings.maxLineChars());
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
        // the budget bounds the matching only: reading the pods' logs has its own time bound
        BoundedRegex contains = pattern == null
                ? null
                : new BoundedRegex(
                        pattern, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.regexBudgetMs()));
        Deque<LogLine> kept = new ArrayDeque<>();
        String previousLevel = null;
        boolean regexStopped = false;
        for (String raw : tail.lines()) {
            LogLine line = LogLines.parse(raw, previousLevel);
            previousLevel = line.level();
            if (minimum != null && LogLine.rank(line.level()) < minimumRank) {
                continue;
            }
            if (contains != null) {
                try {
                    if (!contains.find(raw)) {
                        continue;
                    }
                } catch (BoundedRegex.DeadlineExceeded e) {
                    regexStopped = true;
                    break;
                }
            }
            kept.addLast(line);
            if (kept.size() > wanted) {
                kept.removeFirst();
            }
        }
        if (regexStopped) {
            throw new ToolFailure("the 'contains' expression took longer than " + settings.regexBudgetMs()
                    + " ms over the log; use a simpler expression");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("service", service);
        ArrayNode lines = out.putArray("lines");
        for (LogLine line : kept) {
            ObjectNode node = lines.addObject();
            if (line.timestamp() != null) {
                node.put("timestamp", line.timestamp());
            }
            if (line.level() != null) {
                node.put("level", line.level());
            }
            if (line.logger() != null) {
                node.put("logger", line.logger());
            }
            node.put("message", line.message());
        }
        out.put("returned", kept.size()).put("scanned", tail.lines().size()).put("scanCut", tail.cut());
        return out;
    }
}
