package dev.devloop.tools.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in lines a change adds. Each rule is a pattern with a name; the entropy rule only looks at the
 * value assigned to a secret-sounding name, and only at values that look generated (two of upper case, lower
 * case and digits, entropy over the threshold, not hex, not a UUID, not an identifier made of words), so hashes,
 * UUIDs and ordinary names do not fire. Nothing is allow-listed.
 * Findings carry the file, the line and the rule, never the text.
 */
public final class SecretScanner {
    public static final String PRIVATE_KEY = "private-key";
    public static final String AWS_ACCESS_KEY_ID = "aws-access-key-id";
    public static final String AWS_SECRET_ACCESS_KEY = "aws-secret-access-key";
    public static final String GCP_SERVICE_ACCOUNT_KEY = "gcp-service-account-key";
    public static final String GITHUB_TOKEN = "github-token";
    public static final String GITLAB_TOKEN = "gitlab-token";
    public static final String SLACK_TOKEN = "slack-token";
    public static final String HIGH_ENTROPY_ASSIGNMENT = "high-entropy-assignment";
    /** Lines longer than this are scanned on their first this-many characters (bounds the regex work). */
    public static final int MAX_LINE_CHARS = 4096;

    private record Rule(String name, Pattern pattern) {}

    /** In the order they are tried; a line reports each rule that fires once. */
    private static final List<Rule> RULES = List.of(
            new Rule(
                    GCP_SERVICE_ACCOUNT_KEY,
                    Pattern.compile("\"private_key\"\\s*:\\s*\"-----BEGIN [A-Z ]*PRIVATE KEY")),
            new Rule(PRIVATE_KEY, Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
            new Rule(AWS_ACCESS_KEY_ID, Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")),
            new Rule(
                    AWS_SECRET_ACCESS_KEY,
                    Pattern.compile(
                            "(?i)aws.{0,20}?(?:secret|sk)[a-z_.-]{0,20}[\"']?\\s*(?::=|=>|=|:)\\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])")),
            new Rule(
                    GITHUB_TOKEN,
                    Pattern.compile(
                            "(?<![A-Za-z0-9_])(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,255})(?![A-Za-z0-9_])")),
            new Rule(GITLAB_TOKEN, Pattern.compile("(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}")),
            new Rule(SLACK_TOKEN, Pattern.compile("(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9]{6,}-[A-Za-z0-9-]{6,}")));

    /** {@code name = value}, {@code name: value}, {@code "name": "value"}, {@code name := value}, {@code name => value}. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:key|secret|token|passwd|password|pwd|credential|auth)[A-Za-z0-9_.-]*)[\"']?"
                    + "\\s*(?::=|=>|==?|:)\\s*[\"'`]?([A-Za-z0-9+/=_-]+)([\"'`;,\\s)]|$)");

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Identifiers made of words: camelCase, PascalCase, ACRONYMS, short numbers and separators. */
    private static final Pattern WORDS = Pattern.compile("(?:[A-Z]?[a-z]{2,}|[A-Z]+(?![a-z])|[0-9]{1,4}|[_.-])+");

    private final double entropyThreshold;
    private final int minSecretLength;

    /** Defaults: 20 characters at least and 3.5 bits of Shannon entropy per character. */
    public SecretScanner() {
        this(3.5, 20);
    }

    public SecretScanner(double entropyThreshold, int minSecretLength) {
        this.entropyThreshold = entropyThreshold;
        this.minSecretLength = minSecretLength;
    }

    public List<SecretFinding> scan(List<AddedLine> lines) {
        List<SecretFinding> findings = new ArrayList<>();
        for (AddedLine line : lines) {
            for (String rule : rulesFiring(line.text())) {
                findings.add(new SecretFinding(line.file(), line.line(), rule));
            }
        }
        return findings;
    }

    /** The names of the rules that fire on one line, each once. */
    public Set<String> rulesFiring(String raw) {
        String text = raw.length() > MAX_LINE_CHARS ? raw.substring(0, MAX_LINE_CHARS) : raw;
        Set<String> fired = new LinkedHashSet<>();
        for (Rule rule : RULES) {
            if (PRIVATE_KEY.equals(rule.name()) && fired.contains(GCP_SERVICE_ACCOUNT_KEY)) {
                continue;
            }
            if (rule.pattern().matcher(text).find()) {
                fired.add(rule.name());
            }
        }
        if (fired.isEmpty() && highEntropyAssignment(text)) {
            fired.add(HIGH_ENTROPY_ASSIGNMENT);
        }
        return fired;
    }

    private boolean highEntropyAssignment(String text) {
        Matcher m = ASSIGNMENT.matcher(text);
        while (m.find()) {
            if (looksGenerated(m.group(2))) {
                return true;
            }
        }
        return false;
    }

    boolean looksGenerated(String value) {
        if (value.length() < minSecretLength
                || HEX.matcher(value).matches()
                || UUID.matcher(value).matches()
                || WORDS.matcher(value).matches()) {
            return false;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
        }
        int classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0);
        return classes >= 2 && entropy(value) >= entropyThreshold;
    }

    /** Shannon entropy of the characters of {@code value}, in bits per character. */
    public static double entropy(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        Map<Character, Integer> counts = new HashMap<>();
        for (int i = 0; i < value.length(); i++) {
            counts.merge(value.charAt(i), 1, Integer::sum);
        }
        double bits = 0;
        for (int count : counts.values()) {
            double p = (double) count / value.length();
            bits -= p * (Math.log(p) / Math.log(2));
        }
        return bits;
    }
}
