package dev.devloop.gateway.ports.in;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.EventChannel;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates what live-event clients ask for: channel names and the id to resume after. */
public final class EventChannels {
    /** Event ids clients may send back to resume. */
    public static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private EventChannels() {}

    /** A comma-separated subset of lifecycle,results,tools,health,usage,roadmap (all when blank); 400 naming {@code field}. */
    public static Set<EventChannel> parse(String field, String requested) {
        if (requested == null || requested.isBlank()) {
            return EnumSet.allOf(EventChannel.class);
        }
        Set<EventChannel> wanted = EnumSet.noneOf(EventChannel.class);
        String[] names = requested.split(",", 16);
        if (names.length > EventChannel.values().length) {
            throw Refusal.invalid(field, "at most " + EventChannel.values().length + " channels");
        }
        for (String name : names) {
            wanted.add(EventChannel.ofName(name.trim())
                    .orElseThrow(() -> Refusal.invalid(
                            field,
                            "unknown channel '" + name.trim()
                                    + "'; known: lifecycle, results, tools, health, usage, roadmap")));
        }
        return wanted;
    }

    /** {@code lastEventId} or {@code null}; 400 naming {@code field} when malformed. */
    public static String resumeAfter(String field, String lastEventId) {
        if (lastEventId != null && !EVENT_ID.matcher(lastEventId).matches()) {
            throw Refusal.invalid(field, field + " must be 1-256 visible ASCII characters");
        }
        return lastEventId;
    }
}
