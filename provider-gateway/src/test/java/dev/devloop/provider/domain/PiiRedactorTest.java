package dev.devloop.provider.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {

    @Test
    void masksEachKindAndCountsThem() {
        PiiRedactor.Redaction r = PiiRedactor.redact(
                "Reach me at a.b+c@mail.example.co.uk or (415) 555-0100 / +44 20 7946 0958. Visa 4242-4242-4242-4242. "
                        + "AWS AKIAIOSFODNN7EXAMPLE, header Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123");
        assertThat(r.text())
                .doesNotContain(
                        "a.b+c@mail", "555-0100", "7946", "4242-4242", "AKIAIOSFODNN7EXAMPLE", "abcdefghijklmnop");
        assertThat(r.counts()).isEqualTo(Map.of("email", 1, "phone", 2, "card", 1, "api_key", 2));
    }

    @Test
    void leavesOrdinaryNumbersAlone() {
        String text = "Order 12345678 on 2026-11-25, version 1.2.3, port 8084, card-like 4111 1111 1111 1112, 3.14159";
        PiiRedactor.Redaction r = PiiRedactor.redact(text);
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.total()).isZero();
    }

    @Test
    void masksIbanIpNationalIdsAndSecretsWithTheirPlaceholders() {
        PiiRedactor.Redaction r = PiiRedactor.redact(
                "IBAN DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432; SSN 123-45-6789; NINO AB 12 34 56 C; "
                        + "hosts 192.168.1.20 and fe80::1ff:fe23:4567:890a; jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U; "
                        + "config api_key=abcd1234efgh5678 and \"password\": \"hunter2hunter2\"");
        assertThat(r.text())
                .doesNotContain(
                        "DE89",
                        "GB82",
                        "123-45-6789",
                        "AB 12 34 56 C",
                        "192.168",
                        "fe80",
                        "eyJhbGci",
                        "abcd1234",
                        "hunter2");
        assertThat(r.text())
                .contains("[REDACTED_IBAN]", "[REDACTED_NATIONAL_ID]", "[REDACTED_IP]", "[REDACTED_API_KEY]")
                .contains("api_key=[REDACTED_API_KEY]"); // the name of an assigned secret stays, its value goes
        assertThat(r.counts())
                .containsEntry("iban", 2)
                .containsEntry("national_id", 2)
                .containsEntry("ip", 2)
                .containsEntry("api_key", 3);
        assertThat(PiiRedactor.redact("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----")
                        .text())
                .isEqualTo("[REDACTED_API_KEY]");
    }

    @Test
    void leavesLookAlikesAlone() {
        // IBAN with a wrong check digit, octets above 255, times, MAC addresses, C++ scopes
        String text = "DE00 3704 0044 0532 0130 00, 999.1.1.1, 256.1.1.1, at 12:30:45, "
                + "mac 00:1a:2b:3c:4d:5e, std::vector, version 1.2.3, loopback http://127.0.0.1:8084 and [::1]:8080, bind 0.0.0.0";
        PiiRedactor.Redaction r = PiiRedactor.redact(text);
        assertThat(r.text()).isEqualTo(text);
        assertThat(PiiRedactor.scan("666-12-3456 and 000-12-3456"))
                .doesNotContainKey("national_id"); // not valid SSN areas
        assertThat(PiiRedactor.iban("DE89370400440532013000")).isTrue();
        assertThat(PiiRedactor.iban("DE88370400440532013000")).isFalse();
        assertThat(PiiRedactor.ipv6("2001:db8::1")).isTrue();
        assertThat(PiiRedactor.ipv6("12:30:45")).isFalse();
    }

    @Test
    void luhn() {
        assertThat(PiiRedactor.luhn("4111111111111111")).isTrue();
        assertThat(PiiRedactor.luhn("4111111111111112")).isFalse();
        assertThat(PiiRedactor.luhn("378282246310005")).isTrue();
    }

    @Test
    void validatorReportsForbiddenKindsTermsAndLength() {
        ResponseValidator.Result r = ResponseValidator.validate(
                "send to x@y.io and rm -rf / now", java.util.Set.of("email"), java.util.List.of("RM -RF"), 10);
        assertThat(r.valid()).isFalse();
        assertThat(r.violations())
                .extracting(ResponseValidator.Violation::kind)
                .containsExactly("email", "blocked_term", "too_long");
        assertThat(r.redacted()).contains("[REDACTED_EMAIL]");
        assertThat(ResponseValidator.validate("x@y.io", java.util.Set.of("phone"), java.util.List.of(), null)
                        .valid())
                .isTrue();
    }

    @Test
    void priceTableMatchesVersionedModelsByLongestPrefix() {
        PriceTable prices = new PriceTable(Map.of(
                "gpt-4o",
                new PriceTable.Price(2.5, 10),
                "gpt-4o-mini",
                new PriceTable.Price(0.15, 0.6),
                "anthropic/claude-sonnet-4-5",
                new PriceTable.Price(3, 15)));
        assertThat(prices.cost("openai", "gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000))
                .contains(0.75);
        assertThat(prices.cost("openai", "gpt-4o-2024-08-06", 1000, 0)).contains(0.0025);
        assertThat(prices.cost("anthropic", "claude-sonnet-4-5", 0, 1000)).contains(0.015);
        assertThat(prices.cost("gemini", "gemini-2.0-flash", 10, 10)).isEmpty();
    }

    @Test
    void contextPromptLayouts() {
        ContextPrompt p =
                new ContextPrompt(null, java.util.List.of(new ContextPrompt.Document("a.md", "x < y & z")), "why?");
        assertThat(p.user("anthropic"))
                .startsWith("<documents>\n<document index=\"1\">\n<source>a.md</source>")
                .contains("x &lt; y &amp; z")
                .endsWith("<question>\nwhy?\n</question>");
        assertThat(p.user("openai"))
                .startsWith("Documents:\n\n[1] a.md\n\"\"\"\nx < y & z")
                .endsWith("Question: why?");
    }

    @Test
    void idsAreNotMistakenForPhoneOrCardNumbers() {
        // random UUIDs used to lose a digit group to the phone (6 %) or card pattern: ids in prompts must stay whole
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 5000; i++) {
            String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            org.assertj.core.api.Assertions.assertThat(
                            PiiRedactor.redact("run " + id + " failed").text())
                    .contains(id);
        }
        String fixed = "run_4f3c2a1b-0000-4000-8000-123456789012 and 81919200-5125-451c-8d5a-5f1c11d6d969";
        org.assertj.core.api.Assertions.assertThat(PiiRedactor.redact(fixed).text())
                .isEqualTo(fixed);
        org.assertj.core.api.Assertions.assertThat(
                        PiiRedactor.redact("call +1 (555) 010-9999 now").text())
                .contains("[REDACTED_PHONE]");
    }
}
