package dev.devloop.provider.domain;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and masks personal data and secrets in text. Each match becomes {@code [REDACTED_<KIND>]}; kinds, in
 * masking order:
 * <ul>
 *   <li>{@code api_key}: provider keys ({@code sk-…}, {@code sk-ant-…}, AWS {@code AKIA…}, GitHub {@code gh?_…},
 *       Slack {@code xox?-…}, Google {@code AIza…}), bearer tokens, JWTs, PEM private-key blocks, and the value of
 *       {@code api_key=…}/{@code password: …}-style assignments (the name is kept);</li>
 *   <li>{@code email};</li>
 *   <li>{@code iban}: 15–34 characters, country code and check digits, verified with ISO 13616 mod-97;</li>
 *   <li>{@code card}: 13–19 digits (spaces or dashes allowed) passing the Luhn check;</li>
 *   <li>{@code national_id}: US social security numbers written {@code 123-45-6789} (area, group and serial
 *       rules checked) and UK national insurance numbers ({@code QQ 12 34 56 C}, prefix rules checked);</li>
 *   <li>{@code ip}: IPv4 (each octet 0–255) and IPv6 (full or {@code ::}-compressed, 8 groups at most), except
 *       loopback and unspecified addresses ({@code 127.x.x.x}, {@code 0.0.0.0}, {@code ::1}), which identify no one
 *       and which the platform's own tool outputs are full of;</li>
 *   <li>{@code phone}: 7–15 digits written with a leading {@code +} or with separators (not dates or versions).</li>
 * </ul>
 * Patterns are linear (no nested quantifiers over the same input).
 */
public final class PiiRedactor {
    public static final String API_KEY = "api_key";
    public static final String EMAIL = "email";
    public static final String IBAN = "iban";
    public static final String CARD = "card";
    public static final String NATIONAL_ID = "national_id";
    public static final String IP = "ip";
    public static final String PHONE = "phone";

    private static final Pattern KEY = Pattern.compile(
            "\\b(?:sk-(?:proj-|ant-(?:api\\d\\d-)?)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}"
                    + "|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}"
                    + "|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,})\\b"
                    + "|(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{20,}"
                    + "|-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[\\s\\S]{1,8000}?-----END [A-Z ]{0,20}PRIVATE KEY-----");
    /** {@code api_key=…}, {@code "password": "…"}: only group {@code v} (the value) is masked. */
    private static final Pattern ASSIGNED_SECRET = Pattern.compile(
            "(?i)\\b(?:api[_-]?key|apikey|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|password|passwd)"
                    + "[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?(?<v>[^\\s\"',;]{8,200})");

    private static final Pattern MAIL = Pattern.compile(
            "\\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
    private static final Pattern IBAN_CANDIDATE =
            Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b");
    private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");
    private static final Pattern SSN =
            Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])");
    private static final Pattern NINO = Pattern.compile(
            "\\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b");
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\.?\\d)");
    private static final Pattern IPV6_CANDIDATE = Pattern.compile("(?<![\\w:])[0-9A-Fa-f:]{2,39}(?![\\w:])");
    // not inside a hyphen-joined token: UUIDs and ids like run_4f3c-0000-4000-8000-1234 are no phone numbers
    private static final Pattern PHONE_CANDIDATE =
            Pattern.compile("(?<![\\w+-])\\+?\\(?\\d[\\d ().-]{5,20}\\d(?![\\w-])");

    private PiiRedactor() {}

    /** The masked text and how many of each kind were masked, in masking order. */
    public record Redaction(String text, Map<String, Integer> counts) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static Redaction redact(String text) {
        if (text == null || text.isEmpty()) {
            return new Redaction(text, Map.of());
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        String out = replace(text, KEY, API_KEY, counts, m -> true);
        out = replace(out, ASSIGNED_SECRET, API_KEY, counts, m -> !m.startsWith("[REDACTED_"));
        out = replace(out, MAIL, EMAIL, counts, m -> true);
        out = replace(out, IBAN_CANDIDATE, IBAN, counts, PiiRedactor::iban);
        out = replace(out, CARD_CANDIDATE, CARD, counts, PiiRedactor::luhn);
        out = replace(out, SSN, NATIONAL_ID, counts, m -> true);
        out = replace(out, NINO, NATIONAL_ID, counts, m -> true);
        out = replace(out, IPV4, IP, counts, m -> !m.startsWith("127.") && !m.equals("0.0.0.0"));
        out = replace(out, IPV6_CANDIDATE, IP, counts, PiiRedactor::ipv6);
        out = replace(out, PHONE_CANDIDATE, PHONE, counts, PiiRedactor::phone);
        return new Redaction(out, java.util.Collections.unmodifiableMap(counts)); // in masking order
    }

    /** What {@link #redact} would mask, without masking. */
    public static Map<String, Integer> scan(String text) {
        return redact(text).counts();
    }

    private interface Check {
        boolean accept(String match);
    }

    /** Masks each accepted match (or only its named group {@code v} when the pattern has one). */
    private static String replace(String text, Pattern p, String kind, Map<String, Integer> counts, Check check) {
        Matcher m = p.matcher(text);
        boolean valueGroup = p.pattern().contains("(?<v>");
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            int start = valueGroup ? m.start("v") : m.start();
            int end = valueGroup ? m.end("v") : m.end();
            if (!check.accept(text.substring(start, end))) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length());
            }
            sb.append(text, last, start).append(placeholder(kind));
            last = end;
            counts.merge(kind, 1, Integer::sum);
        }
        if (sb == null) {
            return text;
        }
        return sb.append(text, last, text.length()).toString();
    }

    /** The placeholder a value of {@code kind} is replaced with, e.g. {@code [REDACTED_EMAIL]}. */
    public static String placeholder(String kind) {
        return "[REDACTED_" + kind.toUpperCase(Locale.ROOT) + "]";
    }

    /** True for 13–19 digits passing the Luhn checksum. */
    public static boolean luhn(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /** True for an IBAN of 15–34 characters whose check digits verify (ISO 13616: mod 97 = 1). */
    public static boolean iban(String candidate) {
        String s = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (s.length() < 15 || s.length() > 34) {
            return false;
        }
        String rearranged = s.substring(4) + s.substring(0, 4);
        StringBuilder digits = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (Character.isDigit(c)) {
                digits.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                digits.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** True for an IPv6 address: up to 8 hex groups of 1–4 digits, at most one {@code ::} standing for the rest. */
    public static boolean ipv6(String candidate) {
        if (candidate.indexOf(':') < 0
                || candidate.contains(":::")
                || candidate.chars().noneMatch(Character::isDigit)) {
            return false;
        }
        int compressed = candidate.indexOf("::");
        if (compressed >= 0 && candidate.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String[] groups = candidate.split(":", -1);
        int nonEmpty = 0;
        for (String g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            if (g.length() > 4) {
                return false;
            }
            nonEmpty++;
        }
        if (compressed < 0) {
            return groups.length == 8 && nonEmpty == 8;
        }
        return nonEmpty <= 7 && nonEmpty >= 2; // "::1" (loopback) and "::" are nobody's address
    }

    private static boolean phone(String candidate) {
        long digits = candidate.chars().filter(Character::isDigit).count();
        if (digits < 7 || digits > 15) {
            return false;
        }
        boolean formatted = candidate.startsWith("+")
                || candidate.indexOf(' ') > 0
                || candidate.indexOf('-') > 0
                || candidate.indexOf('(') >= 0
                || candidate.indexOf('.') > 0;
        // dates and versions (2026-11-25, 1.2.3) are not phone numbers
        boolean dateLike =
                candidate.matches("\\d{4}-\\d{2}-\\d{2}") || candidate.matches("[\\d.]+") && !candidate.startsWith("+");
        return formatted && !dateLike;
    }

    /** Kinds in masking order. */
    public static List<String> kinds() {
        return List.of(API_KEY, EMAIL, IBAN, CARD, NATIONAL_ID, IP, PHONE);
    }
}
