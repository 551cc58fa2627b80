package dev.devloop.knowledge.architecture;

import dev.devloop.archrules.HexagonalArchitectureTest;

/** knowledge-service keeps the shared hexagonal rules (arch-rules; docs/service-conventions.md): one test per rule. */
class ArchitectureTest extends HexagonalArchitectureTest {
    ArchitectureTest() {
        super("dev.devloop.knowledge");
    }
}
