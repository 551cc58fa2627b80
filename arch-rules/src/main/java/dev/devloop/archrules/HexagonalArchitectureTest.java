package dev.devloop.archrules;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a service's architecture test extends: one JUnit test per rule of {@link DevloopArchitecture} over the
 * service's production classes, so a report names the rule that broke and lists every offending dependency.
 *
 * <pre>{@code
 * class ArchitectureTest extends HexagonalArchitectureTest {
 *     ArchitectureTest() {
 *         super("dev.devloop.tools");
 *     }
 * }
 * }</pre>
 */
public abstract class HexagonalArchitectureTest {
    private final String basePackage;

    protected HexagonalArchitectureTest(String basePackage) {
        this.basePackage = basePackage;
    }

    @TestFactory
    Stream<DynamicTest> boundaries() {
        JavaClasses classes = DevloopArchitecture.importProduction(basePackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no production classes found under " + basePackage);
        }
        return DevloopArchitecture.rules(basePackage).stream()
                .map(rule -> dynamicTest(rule.getDescription(), () -> rule.check(classes)));
    }
}
