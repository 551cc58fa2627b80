package dev.devloop.contracts.events;

import java.util.regex.Pattern;

/**
 * The naming scheme of every event Devloop produces (docs/design.md §3): {@code source} is
 * {@code /devloop/<service>[/<part>]} and {@code type} is {@code dev.devloop.<area>.<event>}, lower-case words
 * separated by dots. Events from producers outside the cell (tasks) may carry any source.
 */
public final class EventNames {
    public static final String TYPE_PREFIX = "dev.devloop.";
    public static final Pattern TYPE = Pattern.compile("dev\\.devloop(\\.[a-z][a-z0-9_-]*){2,6}");
    public static final Pattern SOURCE = Pattern.compile("/devloop/[a-z][a-z0-9-]*(/[a-z0-9][a-z0-9-]*){0,3}");

    /** The source of events a service produces itself. */
    public static String source(String service) {
        return checked(SOURCE, "/devloop/" + service, "source");
    }

    /** {@code dev.devloop.<area>.<event>}; {@code event} may itself hold dots ({@code run.finished}). */
    public static String type(String area, String event) {
        return checked(TYPE, TYPE_PREFIX + area + "." + event, "type");
    }

    public static boolean isDevloopType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    private static String checked(Pattern pattern, String name, String what) {
        if (!pattern.matcher(name).matches()) {
            throw new IllegalArgumentException("event " + what + " '" + name + "' breaks the scheme " + pattern);
        }
        return name;
    }

    private EventNames() {}
}
