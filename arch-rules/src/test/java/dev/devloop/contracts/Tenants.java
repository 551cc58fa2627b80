package dev.devloop.contracts;

/** Fixture stand-in for contracts' Tenants (arch-rules does not depend on contracts): only its name matters. */
public final class Tenants {
    public static String require(String header) {
        return header;
    }

    private Tenants() {}
}
