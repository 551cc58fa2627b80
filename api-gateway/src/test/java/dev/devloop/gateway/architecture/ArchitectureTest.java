package dev.devloop.gateway.architecture;

import dev.devloop.archrules.HexagonalArchitectureTest;

/** api-gateway keeps the shared hexagonal rules (arch-rules; docs/service-conventions.md): one test per rule. */
class ArchitectureTest extends HexagonalArchitectureTest {
    ArchitectureTest() {
        super("dev.devloop.gateway");
    }
}
