package dev.devloop.gateway.domain;

import java.util.Set;

/** The roles a gateway token may carry in its {@code groups} claim. */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";

    /** Every role, most privileged first. */
    public static final Set<String> ALL = Set.of(ADMIN, OPERATOR, VIEWER);

    private Roles() {}

    /** The most privileged role of a set, or {@code null} when it holds none of ours. */
    public static String highest(Set<String> roles) {
        if (roles.contains(ADMIN)) {
            return ADMIN;
        }
        if (roles.contains(OPERATOR)) {
            return OPERATOR;
        }
        return roles.contains(VIEWER) ? VIEWER : null;
    }
}
