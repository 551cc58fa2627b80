package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.knowledge.domain.SearchHit;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.RagAnswer;
import dev.devloop.knowledge.ports.in.RagQueryCommand;
import dev.devloop.knowledge.ports.in.RagUseCase;
import dev.devloop.knowledge.ports.in.SearchCommand;
import dev.devloop.knowledge.ports.in.SearchUseCase;
import dev.devloop.knowledge.ports.out.GenerationPort;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Answers a question from the tenant's documents: retrieve, build a bounded numbered context, generate. */
public class RagService implements RagUseCase {
    private static final Logger LOG = Logger.getLogger(RagService.class);

    /** Provider and model names as provider-gateway knows them, e.g. {@code anthropic}, {@code gpt-4o-mini}. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,127}");

    private final SearchUseCase search;
    private final GenerationPort generation;
    private final RagLimits limits;

    public RagService(SearchUseCase search, GenerationPort generation, RagLimits limits) {
        this.search = search;
        this.generation = generation;
        this.limits = limits;
    }

    @Override
    public RagAnswer answer(RagQueryCommand command) {
        String tenant = KnowledgeTenants.checked(command.tenant());
        String question = Inputs.text("question", command.question(), limits.maxQuestionLength(), true);
        int limit = Inputs.count("limit", command.limit(), limits.defaultLimit(), limits.maxLimit());
        String provider = name("provider", command.provider());
        String model = name("model", command.model());
        List<SearchHit> hits =
                search.search(new SearchCommand(tenant, question, command.mode(), limit, null, null, null, null));
        RagPrompt prompt = RagPrompt.build(hits, limits.contextTokens() * 4, provider);
        GenerateRequest request = new GenerateRequest(
                provider,
                model,
                List.of(ChatMessage.system(prompt.systemPrompt()), ChatMessage.user(question)),
                null,
                new GenerateOptions(null, limits.maxAnswerTokens(), null, null),
                null);
        GenerateResponse response = generation.generate(tenant, request);
        Usage usage = response.usage() == null ? Usage.NONE : response.usage();
        String answer = response.text() == null ? "" : response.text();
        LogFields.of(
                        "tenant",
                        tenant,
                        "hits",
                        hits.size(),
                        "sources",
                        prompt.sources().size(),
                        "provider",
                        response.provider(),
                        "model",
                        response.model(),
                        "tokens",
                        usage.totalTokens())
                .info(LOG, "rag answered");
        return new RagAnswer(answer, prompt.sources(), usage, response.provider(), response.model());
    }

    private static String name(String field, String value) {
        if (value == null) {
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            throw KnowledgeRefusal.invalid(field, field + " must match " + NAME.pattern());
        }
        return value;
    }
}
