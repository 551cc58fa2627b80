package dev.devloop.provider.architecture;

import dev.devloop.archrules.HexagonalArchitectureTest;

/** provider-gateway keeps the shared hexagonal rules (arch-rules; docs/service-conventions.md): one test per rule. */
class ArchitectureTest extends HexagonalArchitectureTest {
    ArchitectureTest() {
        super("dev.devloop.provider");
    }
}
