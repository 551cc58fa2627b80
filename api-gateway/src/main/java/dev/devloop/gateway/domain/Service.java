package dev.devloop.gateway.domain;

import java.util.Optional;

/** The sibling services the gateway fronts, by the names used in config and cell tables. */
public enum Service {
    AGENT("agent-service"),
    KNOWLEDGE("knowledge-service"),
    TOOL("tool-service"),
    PROVIDER("provider-gateway");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    /** The service's name ({@code knowledge-service}, …). */
    public String id() {
        return id;
    }

    /** The service of a configured name, if there is one. */
    public static Optional<Service> ofId(String id) {
        for (Service service : values()) {
            if (service.id.equals(id)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
