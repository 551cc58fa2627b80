package dev.devloop.contracts.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RefusalTest {

    @Test
    void anInvalidFieldIsA400NamingTheFieldInErrors() {
        Problem problem = Refusal.invalid("limit", "must be between 1 and 100").problem();

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("limit");
        assertThat(problem.errors()).singleElement().satisfies(e -> assertThat(e.field())
                .isEqualTo("limit"));
    }

    @Test
    void eachReasonKeepsItsStatusSlugAndTitle() {
        Problem budget = new Refusal(
                        Refusal.Reason.TOO_MANY, "budget-exceeded", "Budget exceeded", "acme spent 10.00 USD", null)
                .problem();
        assertThat(budget.status()).isEqualTo(429);
        assertThat(budget.type()).isEqualTo(Problem.TYPE_BASE + "budget-exceeded");
        assertThat(budget.title()).isEqualTo("Budget exceeded");
        assertThat(budget.detail()).isEqualTo("acme spent 10.00 USD");

        assertThat(Refusal.tooLarge("at most 1 MiB").problem().status()).isEqualTo(413);
        assertThat(Refusal.Reason.UNAVAILABLE.status()).isEqualTo(503);
        assertThat(Refusal.Reason.NOT_FOUND.status()).isEqualTo(404);
    }
}
