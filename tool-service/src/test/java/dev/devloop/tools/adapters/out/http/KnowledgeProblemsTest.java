package dev.devloop.tools.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** knowledge-service's 4xx problem+json answers as the one line the model reads. */
class KnowledgeProblemsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDependencyCycleNamesTheIdsAroundIt() {
        String body = """
        {"type":"https://devloop.dev/problems/dependency-cycle","title":"Conflict","status":409,
         "detail":"login-form cannot depend on login-api: that closes a cycle","cycle":["login-form","login-api","login-form"]}""";
        assertThat(KnowledgeProblems.describe(409, body, JSON))
                .isEqualTo("knowledge-service refused the call "
                        + "(409 dependency-cycle): login-form cannot depend on login-api: that closes a cycle "
                        + "(cycle: login-form -> login-api -> login-form)");
    }

    @Test
    void anInvalidTransitionNamesFromAndTo() {
        String body = """
        {"type":"https://devloop.dev/problems/invalid-transition","status":409,"detail":"done cannot move to blocked",
         "from":"done","to":"blocked"}""";
        assertThat(KnowledgeProblems.describe(409, body, JSON))
                .isEqualTo("knowledge-service refused the call (409 invalid-transition): done cannot move to blocked "
                        + "(from done to blocked)");
    }

    @Test
    void unfinishedDependenciesAreListedByIdEvenAsObjects() {
        String body = """
        {"type":"https://devloop.dev/problems/dependencies-not-done","status":409,"detail":"waiting",
         "dependencies":[{"id":"a","status":"planned"},"b"]}""";
        assertThat(KnowledgeProblems.describe(409, body, JSON)).endsWith("waiting (dependencies not done: a, b)");
    }

    @Test
    void aValidationProblemNamesItsFieldAndAnUnreadableBodyStillReads() {
        String body = """
        {"type":"https://devloop.dev/problems/invalid-request","status":400,"detail":"name is required","field":"name"}""";
        assertThat(KnowledgeProblems.describe(400, body, JSON))
                .isEqualTo("knowledge-service refused the call (400 invalid-request): name: name is required");
        assertThat(KnowledgeProblems.describe(404, "<html>", JSON))
                .isEqualTo("knowledge-service refused the call (404): no detail");
        assertThat(KnowledgeProblems.describe(404, null, JSON))
                .isEqualTo("knowledge-service refused the call (404): no detail");
    }

    @Test
    void theLineIsBounded() {
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            ids.append(i == 0 ? "" : ",")
                    .append("\"node-")
                    .append("x".repeat(40))
                    .append(i)
                    .append('"');
        }
        String body = "{\"type\":\"https://devloop.dev/problems/dependency-cycle\",\"detail\":\"" + "d".repeat(3000)
                + "\",\"cycle\":" + ids + "]}";
        assertThat(KnowledgeProblems.describe(409, body, JSON)).hasSize(KnowledgeProblems.MAX_CHARS);
    }
}
