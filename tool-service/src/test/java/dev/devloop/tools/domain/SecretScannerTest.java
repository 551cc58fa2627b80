package dev.devloop.tools.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each rule on true positives, and the whole scanner on a corpus of ordinary source lines, UUIDs and hashes that
 * must not fire. The fake secrets are assembled at run time so this file itself holds none.
 */
class SecretScannerTest {
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final SecretScanner scanner = new SecretScanner();
    private final Random random = new Random(42);

    private String randomOf(String alphabet, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private String random(int length) {
        return randomOf(ALNUM, length);
    }

    @Test
    void pemPrivateKeysOfEveryKind() {
        for (String kind : List.of("", "RSA ", "EC ", "OPENSSH ", "DSA ", "ENCRYPTED ")) {
            assertThat(scanner.rulesFiring("-----BEGIN " + kind + "PRIVATE KEY-----"))
                    .as(kind)
                    .containsExactly(SecretScanner.PRIVATE_KEY);
        }
        assertThat(scanner.rulesFiring("-----BEGIN PGP PRIVATE KEY BLOCK-----"))
                .containsExactly(SecretScanner.PRIVATE_KEY);
        assertThat(scanner.rulesFiring("-----BEGIN PUBLIC KEY-----")).isEmpty();
        assertThat(scanner.rulesFiring("-----BEGIN CERTIFICATE-----")).isEmpty();
    }

    @Test
    void awsAccessKeyIds() {
        String id = "AKIA" + randomOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        assertThat(scanner.rulesFiring("aws_access_key_id = " + id)).contains(SecretScanner.AWS_ACCESS_KEY_ID);
        assertThat(scanner.rulesFiring("String k = \"" + "ASIA" + id.substring(4) + "\";"))
                .contains(SecretScanner.AWS_ACCESS_KEY_ID);
        assertThat(scanner.rulesFiring("AKIA" + "EXAMPLE")).isEmpty();
        assertThat(scanner.rulesFiring("XAKIA" + id.substring(4) + "Z")).isEmpty();
    }

    @Test
    void awsSecretAccessKeysInAssignments() {
        String secret = randomOf(ALNUM + "/+", 40);
        assertThat(scanner.rulesFiring("aws_secret_access_key = " + secret))
                .contains(SecretScanner.AWS_SECRET_ACCESS_KEY);
        assertThat(scanner.rulesFiring("AWS_SECRET_ACCESS_KEY: \"" + secret + "\""))
                .contains(SecretScanner.AWS_SECRET_ACCESS_KEY);
        assertThat(scanner.rulesFiring("export AWS_SECRET_ACCESS_KEY=$(vault read -field=key aws/creds)"))
                .isEmpty();
    }

    @Test
    void gcpServiceAccountPrivateKeys() {
        assertThat(scanner.rulesFiring("  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n\","))
                .containsExactly(SecretScanner.GCP_SERVICE_ACCOUNT_KEY);
        assertThat(scanner.rulesFiring("  \"type\": \"service_account\",")).isEmpty();
        assertThat(scanner.rulesFiring("  \"private_key\": \"\",")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"})
    void githubTokens(String prefix) {
        assertThat(scanner.rulesFiring("token: " + prefix + random(36))).contains(SecretScanner.GITHUB_TOKEN);
        assertThat(scanner.rulesFiring(prefix + random(10))).isEmpty();
    }

    @Test
    void githubFineGrainedTokens() {
        assertThat(scanner.rulesFiring("GH=github_pat_" + random(22) + "_" + random(59)))
                .contains(SecretScanner.GITHUB_TOKEN);
    }

    @Test
    void gitlabAndSlackTokens() {
        assertThat(scanner.rulesFiring("GITLAB_TOKEN=glpat-" + random(20))).contains(SecretScanner.GITLAB_TOKEN);
        for (char c : "abprs".toCharArray()) {
            assertThat(scanner.rulesFiring("slack: xox" + c + "-" + randomOf("0123456789", 12) + "-" + random(24)))
                    .as("xox" + c)
                    .contains(SecretScanner.SLACK_TOKEN);
        }
        assertThat(scanner.rulesFiring("xoxz-1234567890-abcdefabcdef")).isEmpty();
    }

    @Test
    void highEntropyValuesAssignedToSecretNames() {
        for (String line : List.of(
                "api_key = \"%s\"",
                "client_secret: %s",
                "\"authToken\": \"%s\",",
                "DB_PASSWORD=%s",
                "private static final String SIGNING_KEY = \"%s\";",
                "password := \"%s\"")) {
            String text = String.format(line, random(32));
            assertThat(scanner.rulesFiring(text)).as(text).containsExactly(SecretScanner.HIGH_ENTROPY_ASSIGNMENT);
        }
        // not assigned to a secret-sounding name: an ordinary value
        assertThat(scanner.rulesFiring("String id = \"" + random(32) + "\";")).isEmpty();
    }

    /**
     * Recall of the entropy rule over generated 32-character values (seeded, so the figure is stable): a random value
     * escapes only when it happens to read like camelCase words.
     */
    @Test
    void entropyRuleCatchesRandomValues() {
        int caught = 0;
        for (int i = 0; i < 200; i++) {
            if (!scanner.rulesFiring("secret = \"" + random(32) + "\"").isEmpty()) {
                caught++;
            }
        }
        assertThat(caught).isGreaterThanOrEqualTo(196);
    }

    @Test
    void uuidsAndHashesDoNotFireEvenOnSecretNames() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String hex64 = randomOf("0123456789abcdef", 64);
            lines.add("idempotency_key = \"" + UUID.randomUUID() + "\"");
            lines.add("token: " + UUID.randomUUID().toString().toUpperCase());
            lines.add("cache_key = \"" + hex64 + "\"");
            lines.add("commit_key: " + hex64.substring(0, 40));
            lines.add("checksum_key = \"" + randomOf("0123456789ABCDEF", 32) + "\"");
        }
        assertThat(lines)
                .allSatisfy(l -> assertThat(scanner.rulesFiring(l)).as(l).isEmpty());
    }

    /** False positives measured on ordinary code and configuration: none. */
    @Test
    void ordinarySourceLinesDoNotFire() {
        List<String> corpus = List.of(
                "String token = request.getHeader(\"Authorization\");",
                "password = getPassword(request)",
                "apiKey = config.apiKey();",
                "private static final String SECRET_KEY_PROPERTY = \"devloop.secret.key\";",
                "private static final String TOKEN_HEADER = \"X-Devloop-Token\";",
                "String key = entry.getKey();",
                "token_type = \"Bearer\"",
                "KEY_LENGTH = 2048",
                "password: ${DB_PASSWORD}",
                "secret: {{ .Values.secret }}",
                "apiKey: \"{{ .Values.apiKey }}\"",
                "password_hash = \"$2b$12$KIXxPQ7e0sYQ0ZzJx1bUu.5Y8iB3W4cJ1t9k0Z7e0sYQ0ZzJx1bUu\"",
                "\"integrity\": \"sha512-Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBbNnMm\",",
                "token: ${{ secrets.GITHUB_TOKEN }}",
                "keyStore = KeyStore.getInstance(\"PKCS12\");",
                "if (key == null || key.isBlank()) {",
                "for (Map.Entry<String, String> keyValue : map.entrySet()) {",
                "const authorName = process.env.GIT_AUTHOR_NAME;",
                "secretName: devloop-tool-service-credentials",
                "key_prefix = \"devloop_tools_invocations_total\"",
                "sort_key = \"created_at_desc_then_id_asc\"",
                "auth = HTTPBasicAuth(username, password)",
                "passwordEncoder = new BCryptPasswordEncoder(12);",
                "tokenizer = AutoTokenizer.from_pretrained(\"bert-base-uncased\")",
                "image: ghcr.io/devloop/tool-service:0.1.0-SNAPSHOT",
                "url = \"https://example.com/api/v1/tokens?limit=50\"",
                "import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;",
                "-----BEGIN PUBLIC KEY-----",
                "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
                "SELECT id, key, value FROM settings WHERE tenant = ?",
                "log.info(\"token refreshed for {}\", userId);",
                "secret_ref: projects/devloop/secrets/db-password/versions/latest",
                "AWS_REGION=eu-west-1",
                "github_user: devloop-bot",
                "cacheKey = \"tenantProjectAgentRunStepIndex\";",
                "String secretName = \"DevloopToolServiceCredentials\";",
                "tokenEndpoint: https://login.example.com/oauth2/v2.0/token",
                "PASSWORD_RESET_TEMPLATE = \"PasswordResetEmailTemplateV2\"",
                "signingKeyId = kms.describeKey(\"alias/devloop-signing\").keyId();",
                "assertThat(result.error()).contains(\"rule: aws-access-key-id\");");
        List<String> fired =
                corpus.stream().filter(l -> !scanner.rulesFiring(l).isEmpty()).toList();
        assertThat(fired).as("false positives").isEmpty();
    }

    @Test
    void findingsCarryFileLineAndRuleOnly() {
        String key = "AKIA" + randomOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        List<SecretFinding> findings = scanner.scan(List.of(
                new AddedLine("a.txt", 1, "hello"), new AddedLine("conf/app.env", 7, "AWS_ACCESS_KEY_ID=" + key)));
        assertThat(findings).containsExactly(new SecretFinding("conf/app.env", 7, SecretScanner.AWS_ACCESS_KEY_ID));
        assertThat(findings.toString()).doesNotContain(key);
    }

    @Test
    void entropyIsShannonBitsPerCharacter() {
        assertThat(SecretScanner.entropy("aaaa")).isZero();
        assertThat(SecretScanner.entropy("abcd")).isEqualTo(2.0);
    }

    @Test
    void unifiedDiffAddedLinesCarryNewFileLineNumbers() {
        String diff = String.join(
                "\n",
                "diff --git a/src/App.java b/src/App.java",
                "index 1111111..2222222 100644",
                "--- a/src/App.java",
                "+++ b/src/App.java",
                "@@ -1,3 +1,4 @@",
                " class App {",
                "-  int a;",
                "+  int b;",
                "+  ++counter;",
                "   void run() {}",
                "@@ -10,2 +11,3 @@ class App {",
                "   x();",
                "+  y();",
                "diff --git a/gone.txt b/gone.txt",
                "deleted file mode 100644",
                "--- a/gone.txt",
                "+++ /dev/null",
                "@@ -1 +0,0 @@",
                "-bye",
                "diff --git a/new.env b/new.env",
                "new file mode 100644",
                "--- /dev/null",
                "+++ b/new.env",
                "@@ -0,0 +1,2 @@",
                "+A=1",
                "+B=2",
                "");
        assertThat(UnifiedDiff.addedLines(diff))
                .containsExactly(
                        new AddedLine("src/App.java", 2, "  int b;"),
                        new AddedLine("src/App.java", 3, "  ++counter;"),
                        new AddedLine("src/App.java", 12, "  y();"),
                        new AddedLine("new.env", 1, "A=1"),
                        new AddedLine("new.env", 2, "B=2"));
    }
}
