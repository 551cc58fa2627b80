package dev.devloop.provider.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportTest {

    @Test
    void totalsAreTheGroupsSums() {
        UsageReport.Totals t = UsageReport.Totals.of(List.of(
                new UsageReport.Group("claude", 3, 3000, 6000, 0.099),
                new UsageReport.Group("gpt", 1, 10, 5, null),
                new UsageReport.Group("gemini", 2, 40, 20, 0.001)));
        assertThat(t.calls()).isEqualTo(6);
        assertThat(t.inputTokens()).isEqualTo(3050);
        assertThat(t.outputTokens()).isEqualTo(6025);
        assertThat(t.costUsd()).isCloseTo(0.100, within(1e-12));
    }

    @Test
    void theCostIsNullWhenNoGroupHadAPrice() {
        UsageReport.Totals t = UsageReport.Totals.of(
                List.of(new UsageReport.Group("a", 1, 1, 1, null), new UsageReport.Group("b", 2, 2, 2, null)));
        assertThat(t).isEqualTo(new UsageReport.Totals(3, 3, 3, null));
    }

    @Test
    void noGroupsAreNoUsage() {
        assertThat(UsageReport.Totals.of(List.of())).isSameAs(UsageReport.Totals.NONE);
    }
}
