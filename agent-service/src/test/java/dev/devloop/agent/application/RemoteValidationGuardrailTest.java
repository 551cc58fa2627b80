package dev.devloop.agent.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.domain.StepKind;
import dev.devloop.agent.domain.prompt.PromptTemplate;
import dev.devloop.agent.domain.prompt.PromptTemplates;
import dev.devloop.agent.domain.safety.Enforcement;
import dev.devloop.agent.domain.safety.GuardrailPolicy;
import dev.devloop.agent.domain.safety.GuardrailStage;
import dev.devloop.agent.domain.safety.Guardrails;
import dev.devloop.agent.domain.safety.PolicyKind;
import dev.devloop.agent.domain.safety.TripwireSettings;
import dev.devloop.agent.domain.safety.Tripwires;
import dev.devloop.agent.ports.out.DownstreamException;
import dev.devloop.agent.ports.out.TextValidatorPort;
import dev.devloop.agent.support.InMemoryRuns;
import dev.devloop.agent.support.RecordingSafety;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.ScriptedModel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Remote-validation guardrails (provider-gateway's /v1/validate behind a port, here an in-process
 * stand-in): the validator's verdict under each enforcement mode, and fail-open / fail-closed when it
 * cannot answer.
 */
class RemoteValidationGuardrailTest {
    private final ScriptedModel model = new ScriptedModel();
    private final InMemoryRuns runs = new InMemoryRuns();
    private final RecordingSafety safety = new RecordingSafety();
    private final List<String> validated = new CopyOnWriteArrayList<>();
    private final AgentDefinition definition = AgentDefinition.of(
            "assistant", AgentLevel.CHILD, "d", "Help.", List.of(), null, null, new AgentLimits(5, 10_000, 60, 0));

    /** Finds an e-mail address, as provider-gateway's validator would; or is down. */
    private TextValidatorPort validator(boolean up) {
        return (tenant, text, pii, terms, maxChars) -> {
            validated.add(text);
            if (!up) {
                throw new DownstreamException("provider-gateway", 0, "unreachable: connection refused", null);
            }
            assertThat(pii).containsExactly("email");
            assertThat(terms).containsExactly("drop table");
            return text.contains("@")
                    ? new TextValidatorPort.Verdict(false, List.of("email: 1 e-mail address"))
                    : new TextValidatorPort.Verdict(true, List.of());
        };
    }

    private Run run(Enforcement mode, boolean failOpen, boolean up) {
        GuardrailPolicy policy = new GuardrailPolicy(
                "gateway-check",
                GuardrailStage.RESPONSE,
                PolicyKind.REMOTE_VALIDATION,
                mode,
                List.of("drop table"),
                0,
                List.of(),
                List.of("email"),
                failOpen);
        AgentLoop loop = AgentLoop.builder(
                        model,
                        new RecordingTools(List.of("assistant")),
                        runs,
                        safety,
                        new Guardrails(List.of(policy)),
                        new Tripwires(new TripwireSettings(Map.of(), List.of(), 3.0, 20)),
                        new AnomalyHistory(10),
                        new LoopSettings(1000, 25, 1000),
                        Clock.systemUTC())
                .templates(new PromptTemplates(List.of(new PromptTemplate(
                        "basic", PromptTemplate.Kind.BASIC, "{instructions}", List.of("instructions"), null, null))))
                .validator(validator(up))
                .build();
        Agent agent = Agent.spawn("t1", definition, null, Clock.systemUTC().instant());
        Run run = Run.start("t1", agent, "answer", "trace", Clock.systemUTC().instant());
        runs.create(run);
        return loop.execute(run, definition);
    }

    @Test
    void aBlockingPolicyStopsTheRunWhenTheValidatorFindsAViolation() {
        model.answer("write to ops@example.com");

        Run done = run(Enforcement.BLOCK, false, true);

        assertThat(done.status()).isEqualTo(RunStatus.GUARDRAIL_BLOCKED);
        assertThat(done.error()).contains("gateway-check").contains("email: 1 e-mail address");
        assertThat(validated).containsExactly("write to ops@example.com");
        assertThat(safety.violations).singleElement().satisfies(d -> assertThat(d.policy())
                .isEqualTo("gateway-check"));
    }

    @Test
    void warnAndLogRecordTheViolationAndLetTheRunFinish() {
        model.answer("write to ops@example.com");
        Run warned = run(Enforcement.WARN, false, true);
        assertThat(warned.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(warned.steps())
                .filteredOn(s -> s.kind() == StepKind.GUARDRAIL)
                .singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("WARN"));

        model.answer("a clean answer");
        Run clean = run(Enforcement.BLOCK, false, true);
        assertThat(clean.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(clean.steps()).noneMatch(s -> s.kind() == StepKind.GUARDRAIL);
    }

    @Test
    void whenTheValidatorIsDownFailClosedBlocksAndFailOpenOnlyLogs() {
        model.answer("anything");
        Run closed = run(Enforcement.BLOCK, false, false);
        assertThat(closed.status()).isEqualTo(RunStatus.GUARDRAIL_BLOCKED);
        assertThat(closed.error()).contains("validator unavailable").contains("fail-closed");

        model.answer("anything");
        Run open = run(Enforcement.BLOCK, true, false);
        assertThat(open.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(open.steps())
                .filteredOn(s -> s.kind() == StepKind.GUARDRAIL)
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo("LOG");
                    assertThat(s.error()).contains("fail-open").contains("not checked");
                });
    }
}
