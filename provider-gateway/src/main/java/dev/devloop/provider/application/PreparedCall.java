package dev.devloop.provider.application;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.InjectionScreening;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.out.GenerateCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated call about to be made: the routes to try in order, the alias they came from, the retrieval context
 * (rendered per route), when it started, whether it is PII-masked, and the injection screening of its input.
 */
record PreparedCall(
        GenerateCommand command,
        List<Route> routes,
        String alias,
        ContextPrompt context,
        long start,
        boolean redact,
        InjectionScreening screening) {

    /** The command as sent to {@code route}: its provider and model, and the context prompt rendered for it. */
    GenerateCommand commandFor(Route route) {
        GenerateCommand routed = command.withRoute(route.provider(), route.model());
        if (context == null) {
            return routed;
        }
        return routed.withMessages(new ArrayList<>(List.of(
                new ChatMessage("system", context.system(route.provider()), null, null, null),
                new ChatMessage("user", context.user(route.provider()), null, null, null))));
    }

    /** Temperature 0 makes a request deterministic enough to answer from the cache. */
    boolean deterministic() {
        Double t = command.options() == null ? null : command.options().temperature();
        return t != null && t == 0.0;
    }
}
