package dev.devloop.scenarios;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one stack (and OpenAI stub) that the scenario classes with compatible settings share: a stack costs ~45 s to
 * start under load. Its settings are the union of theirs, and none of them changes what another class sees (each is
 * named in {@link #start} with the class it is for). A class joins with {@code @ExtendWith(SharedStack.Join.class)}
 * and a {@code SharedStack} parameter on its {@code @BeforeAll}; it keeps its data apart (tenants of its own) and
 * scripts the shared stub only with stubs that need a marker its own requests carry. The stack stops once, when the
 * run ends (JUnit's root store closes what it holds), or earlier when a class that needs a stack of its own calls
 * {@link #release()}: two stacks never run at once. {@link SharedFirst} runs the sharing classes first; in any other
 * order a released stack is started again by the next class that joins.
 */
final class SharedStack implements AutoCloseable {
    private static SharedStack current;

    final OpenAiStub openAi;
    final TestTokens tokens;
    final DevloopStack stack;

    SharedStack(OpenAiStub openAi, TestTokens tokens, DevloopStack stack) {
        this.openAi = openAi;
        this.tokens = tokens;
        this.stack = stack;
    }

    static SharedStack join(ExtensionContext context) throws Exception {
        return runningOr(SharedStack::start, started -> context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .put(SharedStack.class, started));
    }

    /** The running shared stack, or one from {@code start} handed to {@code closeAtEnd} (the run's end closes it). */
    static synchronized SharedStack runningOr(Callable<SharedStack> start, Consumer<SharedStack> closeAtEnd)
            throws Exception {
        if (current == null) {
            current = start.call();
            closeAtEnd.accept(current);
        }
        return current;
    }

    /** Stops the shared stack, if one runs: for a class about to start a stack of its own. */
    static synchronized void release() throws InterruptedException {
        if (current != null) {
            current.close();
        }
    }

    private static SharedStack start() throws Exception {
        Path root = Path.of(System.getProperty("devloop.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path work = root.resolve("scenarios/target/shared-" + System.currentTimeMillis());
        OpenAiStub openAi = new OpenAiStub();
        try {
            TestTokens tokens = new TestTokens(work.resolve("keys"));
            Map<String, String> env = DevloopStack.env(openAi, tokens, Map.of());
            // EventDrivenScenarioTest: its webhook receiver listens on 127.0.0.1
            env.put("DEVLOOP_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1");
            // AgentOrchestrationScenarioTest: a dead health component (only system-health checks list it, and the
            // scheduled one is off), a second provider (openai stays the default) and an operator tenant of its own
            env.putAll(AgentOrchestrationScenarioTest.settings(openAi));
            // DeliveryScenarioTest: the local forge's repository "demo" (only the git and forge tools read it)
            env.putAll(DeliveryScenarioTest.settings(root, work));
            return new SharedStack(openAi, tokens, DevloopStack.start(root, work, env));
        } catch (Exception e) {
            openAi.close();
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (SharedStack.class) {
            if (current != this) {
                return; // released before the run ended
            }
            current = null;
        }
        try {
            stack.close();
        } finally {
            openAi.close();
        }
    }

    /** Resolves a {@code SharedStack} parameter: the running shared stack, started if none runs. */
    static final class Join implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            try {
                return join(context);
            } catch (Exception e) {
                throw new IllegalStateException("the shared stack did not start", e);
            }
        }
    }

    /** Runs the classes that join the shared stack before the others (junit-platform.properties names it). */
    public static final class SharedFirst implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors()
                    .sort(java.util.Comparator.comparingInt(d -> d.findAnnotation(ExtendWith.class)
                                    .map(e -> List.of(e.value()).contains(Join.class))
                                    .orElse(false)
                            ? 0
                            : 1));
        }
    }
}
