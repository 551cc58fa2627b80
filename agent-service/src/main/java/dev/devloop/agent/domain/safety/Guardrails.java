package dev.devloop.agent.domain.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Evaluates the configured policies against a text; pure and thread-safe. */
public final class Guardrails {
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w])\\+?\\d[\\d ()-]{8,}\\d(?![\\w])");
    private static final Pattern CARD = Pattern.compile("(?<!\\d)(?:\\d[ -]?){13,19}(?!\\d)");
    private static final Pattern API_KEY = Pattern.compile(
            "(?:sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[baprs]-[A-Za-z0-9-]{10,}"
                    + "|AIza[0-9A-Za-z_-]{35})");
    private static final List<Pattern> INJECTION = List.of(
            Pattern.compile("ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?|rules)"),
            Pattern.compile(
                    "disregard (all |any )?(the )?(previous|prior|above|earlier|your) (instructions|rules|guidelines)"),
            Pattern.compile(
                    "(reveal|print|show|repeat) (me )?(your|the) (system|hidden|initial) (prompt|instructions)"),
            Pattern.compile("you are now (in )?(developer|dan|jailbreak|unrestricted) mode"),
            Pattern.compile("forget (everything|all) (you were|you've been|you have been) told"));

    private final List<GuardrailPolicy> policies;

    public Guardrails(List<GuardrailPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    public static Guardrails none() {
        return new Guardrails(List.of());
    }

    /** Every violated policy of {@code stage} that applies to {@code agentType}. */
    public List<GuardrailDecision> check(GuardrailStage stage, String agentType, String text) {
        List<GuardrailDecision> violations = new ArrayList<>();
        if (text == null) {
            return violations;
        }
        for (GuardrailPolicy policy : policies) {
            if (policy.stage() == stage
                    && policy.appliesTo(agentType)
                    && policy.kind() != PolicyKind.REMOTE_VALIDATION) {
                violation(policy, text)
                        .ifPresent(reason ->
                                violations.add(new GuardrailDecision(policy.name(), stage, policy.mode(), reason)));
            }
        }
        return violations;
    }

    /** The remote-validation policies of {@code stage} that apply to {@code agentType} (the loop calls them). */
    public List<GuardrailPolicy> remote(GuardrailStage stage, String agentType) {
        return policies.stream()
                .filter(p -> p.kind() == PolicyKind.REMOTE_VALIDATION && p.stage() == stage && p.appliesTo(agentType))
                .toList();
    }

    private static Optional<String> violation(GuardrailPolicy policy, String text) {
        return switch (policy.kind()) {
            case MAX_LENGTH ->
                text.length() > policy.maxLength()
                        ? Optional.of(
                                "text is " + text.length() + " characters, over the limit of " + policy.maxLength())
                        : Optional.empty();
            case DENY_PATTERN ->
                policy.patterns().stream()
                        .filter(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)
                                .matcher(text)
                                .find())
                        .findFirst()
                        .map(p -> "matches denied pattern /" + p + "/");
            case ALLOWED_TOPICS ->
                policy.patterns().stream().anyMatch(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)
                                .matcher(text)
                                .find())
                        ? Optional.empty()
                        : Optional.of("outside the allowed topics " + policy.patterns());
            case PROMPT_INJECTION -> injection(text);
            case PII -> pii(text);
            case REMOTE_VALIDATION -> Optional.empty();
        };
    }

    private static Optional<String> injection(String text) {
        String normalised = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return INJECTION.stream()
                .filter(p -> p.matcher(normalised).find())
                .findFirst()
                .map(p -> "looks like a prompt-injection attempt");
    }

    private static Optional<String> pii(String text) {
        List<String> found = new ArrayList<>();
        if (EMAIL.matcher(text).find()) {
            found.add("e-mail address");
        }
        if (API_KEY.matcher(text).find()) {
            found.add("API key");
        }
        Matcher card = CARD.matcher(text);
        boolean hasCard = false;
        while (card.find() && !hasCard) {
            hasCard = luhn(card.group().replaceAll("[ -]", ""));
        }
        if (hasCard) {
            found.add("card number");
        } else if (hasPhoneNumber(text)) {
            found.add("phone number");
        }
        return found.isEmpty()
                ? Optional.empty()
                : Optional.of("contains personal or secret data: " + String.join(", ", found));
    }

    /** 9 to 15 digits in a phone-like run: dates (8 digits) and short numbers are not phone numbers. */
    private static boolean hasPhoneNumber(String text) {
        Matcher phone = PHONE.matcher(text);
        while (phone.find()) {
            long digits = phone.group().chars().filter(Character::isDigit).count();
            if (digits >= 9 && digits <= 15) {
                return true;
            }
        }
        return false;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean alternate = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int n = digits.charAt(i) - '0';
            if (alternate) {
                n *= 2;
                if (n > 9) {
                    n -= 9;
                }
            }
            sum += n;
            alternate = !alternate;
        }
        return digits.length() >= 13 && sum % 10 == 0;
    }
}
