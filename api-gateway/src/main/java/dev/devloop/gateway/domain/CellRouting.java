package dev.devloop.gateway.domain;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tenant → cell → base URL table: each tenant is served by exactly one cell; a tenant not listed
 * goes to the default cell. Every cell must name a base URL for every service.
 */
public final class CellRouting {
    private final Map<String, String> tenantCells;
    private final Map<String, Map<Service, String>> cellUrls;
    private final String defaultCell;

    public CellRouting(
            Map<String, String> tenantCells, Map<String, Map<Service, String>> cellUrls, String defaultCell) {
        Objects.requireNonNull(defaultCell, "defaultCell");
        this.tenantCells = Map.copyOf(tenantCells);
        Map<String, Map<Service, String>> copy = new HashMap<>();
        cellUrls.forEach((cell, urls) -> {
            EnumMap<Service, String> perService = new EnumMap<>(Service.class);
            urls.forEach((service, url) -> perService.put(service, stripSlash(url)));
            for (Service service : Service.values()) {
                if (!perService.containsKey(service)) {
                    throw new IllegalArgumentException("cell '" + cell + "' has no URL for " + service.id());
                }
            }
            copy.put(cell, Map.copyOf(perService));
        });
        if (!copy.containsKey(defaultCell)) {
            throw new IllegalArgumentException(
                    "the default cell '" + defaultCell + "' is not among the cells " + copy.keySet());
        }
        this.tenantCells.forEach((tenant, cell) -> {
            if (!copy.containsKey(cell)) {
                throw new IllegalArgumentException("tenant '" + tenant + "' is routed to unknown cell '" + cell + "'");
            }
        });
        this.cellUrls = Map.copyOf(copy);
        this.defaultCell = defaultCell;
    }

    /** The cell serving {@code tenant}: its listed cell, else the default one. */
    public String cellOf(String tenant) {
        return tenantCells.getOrDefault(tenant, defaultCell);
    }

    /** The base URL (no trailing slash) of {@code service} in {@code tenant}'s cell. */
    public String baseUrl(String tenant, Service service) {
        return cellUrls.get(cellOf(tenant)).get(service);
    }

    /** The base URL of {@code service} in the default cell (health checks, the aggregated OpenAPI). */
    public String defaultUrl(Service service) {
        return cellUrls.get(defaultCell).get(service);
    }

    /** The default cell's name. */
    public String defaultCell() {
        return defaultCell;
    }

    private static String stripSlash(String url) {
        String u = Objects.requireNonNull(url, "url").trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new IllegalArgumentException("a cell URL must be http(s): " + url);
        }
        return u;
    }
}
