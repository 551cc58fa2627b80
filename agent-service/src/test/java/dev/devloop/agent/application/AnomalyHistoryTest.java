package dev.devloop.agent.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.devloop.agent.domain.safety.Tripwires;
import org.junit.jupiter.api.Test;

class AnomalyHistoryTest {
    @Test
    void theBaselineSummarisesTheBoundedWindowInPlace() {
        AnomalyHistory history = new AnomalyHistory(4);
        assertThat(history.baseline("assistant").count()).isZero();
        for (double v : new double[] {100, 10, 20, 30, 40}) {
            history.add("assistant", v);
        }

        Tripwires.Baseline b = history.baseline("assistant");

        // the window keeps the last four: 10, 20, 30, 40
        assertThat(b.count()).isEqualTo(4);
        assertThat(b.mean()).isEqualTo(25.0);
        assertThat(b.std()).isCloseTo(Math.sqrt(125.0), within(1e-9));
        assertThat(history.baseline("planner").count()).isZero();
    }

    @Test
    void identicalValuesHaveNoSpreadSoNothingIsAnomalousAgainstThem() {
        AnomalyHistory history = new AnomalyHistory(10);
        for (int i = 0; i < 10; i++) {
            history.add("assistant", 40);
        }
        assertThat(history.baseline("assistant").std()).isZero();
    }
}
