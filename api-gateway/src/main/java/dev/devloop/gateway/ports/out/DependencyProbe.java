package dev.devloop.gateway.ports.out;

/**
 * One thing the gateway calls but does not need to be ready: a sibling service, MongoDB, Kafka. Probed in the
 * background by the health adapter ({@code adapters.out.health.DependencyMonitor}); its outage degrades the routes it names, never the gateway's readiness.
 */
public interface DependencyProbe {
    /** The dependency's name in health output ({@code knowledge-service}, {@code mongodb}, {@code kafka}). */
    String name();

    /** What stops working while it is down (shown as the reason of a {@code DEGRADED} status). */
    String affects();

    /** Probes once, bounded in time; never throws. */
    Result probe();

    /** The outcome of one probe. */
    record Result(boolean up, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }

        /** A short description of a failure (class and message, at most 200 characters). */
        public static Result down(Throwable e) {
            String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Result(false, text.length() > 200 ? text.substring(0, 200) : text);
        }
    }
}
