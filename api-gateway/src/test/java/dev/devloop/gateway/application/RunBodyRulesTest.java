package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.Refusal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bounds and shape a run body must have before the gateway forwards it. */
class RunBodyRulesTest {
    private final RunBodyRules rules = new RunBodyRules(100, 10);

    private Problem problemOf(String body) {
        try {
            rules.check(body.getBytes(StandardCharsets.UTF_8));
        } catch (Refusal e) {
            return e.problem();
        }
        throw new AssertionError("expected a problem for " + body);
    }

    @Test
    void acceptsAnObjectWithABoundedInput() {
        assertThatCode(() -> rules.check("{\"input\":\"0123456789\"}".getBytes(StandardCharsets.UTF_8)))
                .doesNotThrowAnyException();
    }

    @Test
    void inputIsBoundedInUtf8Bytes() {
        Problem p = problemOf("{\"input\":\"ééééééé\"}");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).isEqualTo("input");
        assertThat(p.detail()).contains("14 bytes");
    }

    @Test
    void theWholeBodyIsBounded() {
        Problem p = problemOf("{\"input\":\"a\",\"pad\":\"" + "p".repeat(100) + "\"}");
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.field()).isEqualTo("body");
    }

    @Test
    void shapeErrorsNameTheirField() {
        assertThat(problemOf("").field()).isEqualTo("input");
        assertThat(problemOf("[]").field()).isEqualTo("body");
        assertThat(problemOf("{oops").field()).isEqualTo("body");
        assertThat(problemOf("{\"input\":true}").field()).isEqualTo("input");
        assertThat(problemOf("{\"input\":\"\"}").field()).isEqualTo("input");
        assertThat(problemOf("{\"input\":\"a\",\"input\":\"b\"}").field()).isEqualTo("body");
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new RunBodyRules(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
