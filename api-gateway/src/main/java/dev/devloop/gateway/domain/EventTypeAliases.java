package dev.devloop.gateway.domain;

import java.util.List;
import java.util.Map;

/**
 * Event types renamed to the {@code dev.devloop.<area>.<event>} scheme (issue #19) whose old name webhooks may
 * still be subscribed to: while producers move over, an event of either name matches subscriptions to both.
 */
public final class EventTypeAliases {
    private static final Map<String, String> RENAMED = Map.of("provider.usage", "dev.devloop.provider.usage");

    /** {@code type} and, when it was renamed, its other name. */
    public static List<String> namesOf(String type) {
        String renamed = RENAMED.get(type);
        if (renamed != null) {
            return List.of(type, renamed);
        }
        for (Map.Entry<String, String> entry : RENAMED.entrySet()) {
            if (entry.getValue().equals(type)) {
                return List.of(type, entry.getKey());
            }
        }
        return List.of(type);
    }

    private EventTypeAliases() {}
}
