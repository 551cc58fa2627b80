package dev.devloop.gateway.adapters.in;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.RateLimitDecision;
import org.jboss.logging.Logger;

/**
 * The gateway's security decisions as log lines, one shape for every edge (REST, {@code /ws}, the HTTP edge limits):
 * a refusal is the line {@code audit} with {@code decision=deny}, its {@code status} and {@code reason} and what
 * identifies the request; an allowed call is its own message with the caller and {@code decision=allow}. Fields are
 * name/value pairs (a null value is left out).
 */
public final class Audit {
    private static final Logger LOG = Logger.getLogger(Audit.class);

    private Audit() {}

    /** A refusal with {@code status} for {@code reason}; {@code fields} identify the request. */
    public static void deny(int status, String reason, Object... fields) {
        LogFields.of(concat(new Object[] {"decision", "deny", "status", status, "reason", reason}, fields))
                .info(LOG, "audit");
    }

    /** A refusal of {@code caller} on {@code route} with {@code status} for {@code reason}. */
    public static void deny(int status, String reason, String route, Caller caller, Object... fields) {
        deny(
                status,
                reason,
                concat(new Object[] {"route", route, "tenant", caller.tenant(), "subject", caller.subject()}, fields));
    }

    /** {@code caller} ran out of its rate limit on {@code route}. */
    public static void rateLimited(String route, Caller caller, RateLimitDecision limit) {
        deny(429, "rate-limited", route, caller, "limit", limit.limit());
    }

    /** An allowed call of {@code caller}: {@code message} says what was done. */
    public static void allow(String message, Caller caller, Object... fields) {
        Object[] who = {"tenant", caller.tenant(), "subject", caller.subject(), "role", caller.highestRole()};
        LogFields.of(concat(concat(who, fields), new Object[] {"decision", "allow"}))
                .info(LOG, message);
    }

    /** {@code route} forwarded to {@code service} (null: agent-service's own client), answered {@code status}. */
    public static void forwarded(String route, String service, Caller caller, int status, Object... fields) {
        allow(
                "route forwarded",
                caller,
                concat(new Object[] {"route", route, "service", service, "status", status}, fields));
    }

    private static Object[] concat(Object[] first, Object[] second) {
        Object[] all = new Object[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
