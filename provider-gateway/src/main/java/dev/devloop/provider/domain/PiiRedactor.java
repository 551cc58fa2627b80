package dev.devloop.provider.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and masks personal data and secrets in text: API keys and bearer tokens, e-mail
 * addresses, payment card numbers (13–19 digits passing the Luhn check) and phone numbers
 * (7–15 digits written with a leading {@code +} or with separators). Each match becomes
 * {@code [REDACTED_<KIND>]}. Patterns are linear (no nested quantifiers over the same input).
 */
public final class PiiRedactor {
  public static final String API_KEY = "api_key";
  public static final String EMAIL = "email";
  public static final String CARD = "card";
  public static final String PHONE = "phone";

  private static final Pattern KEY = Pattern.compile(
      "\\b(?:sk-(?:proj-|ant-(?:api\\d\\d-)?)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}"
          + "|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})\\b|(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{20,}");
  private static final Pattern MAIL = Pattern.compile("\\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern PHONE_CANDIDATE = Pattern.compile("(?<![\\w+])\\+?\\(?\\d[\\d ().-]{5,20}\\d(?!\\w)");

  private PiiRedactor() {}

  /** The masked text and how many of each kind were masked, in masking order (api_key, email, card, phone). */
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
    out = replace(out, MAIL, EMAIL, counts, m -> true);
    out = replace(out, CARD_CANDIDATE, CARD, counts, PiiRedactor::luhn);
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

  private static String replace(String text, Pattern p, String kind, Map<String, Integer> counts, Check check) {
    Matcher m = p.matcher(text);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      if (!check.accept(m.group())) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      sb.append(text, last, m.start()).append("[REDACTED_").append(kind.toUpperCase(java.util.Locale.ROOT)).append(']');
      last = m.end();
      counts.merge(kind, 1, Integer::sum);
    }
    if (sb == null) {
      return text;
    }
    return sb.append(text, last, text.length()).toString();
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

  private static boolean phone(String candidate) {
    long digits = candidate.chars().filter(Character::isDigit).count();
    if (digits < 7 || digits > 15) {
      return false;
    }
    boolean formatted = candidate.startsWith("+") || candidate.indexOf(' ') > 0 || candidate.indexOf('-') > 0
        || candidate.indexOf('(') >= 0 || candidate.indexOf('.') > 0;
    // dates and versions (2026-11-25, 1.2.3) are not phone numbers
    boolean dateLike = candidate.matches("\\d{4}-\\d{2}-\\d{2}") || candidate.matches("[\\d.]+") && !candidate.startsWith("+");
    return formatted && !dateLike;
  }

  /** Kinds in masking order. */
  public static List<String> kinds() {
    return List.of(API_KEY, EMAIL, CARD, PHONE);
  }
}
