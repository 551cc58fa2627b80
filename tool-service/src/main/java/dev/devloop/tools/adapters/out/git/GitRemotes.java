package dev.devloop.tools.adapters.out.git;

import dev.devloop.tools.domain.GitRemote;
import java.util.Map;

/**
 * Where a named remote of a tenant lives. Operator-configured remotes are the same for every tenant; a repository
 * served by the local forge resolves to the tenant's own bare repository, so tenants never see each other's
 * branches. {@link #hide} replaces every URL it knows by the remote's name in a message shown to an agent.
 */
public interface GitRemotes {
    GitRemote resolve(String tenant, String name);

    default String hide(String message) {
        return message;
    }

    /** The operator's remotes, the same for every tenant. */
    static GitRemotes of(Map<String, GitRemote> remotes) {
        Map<String, GitRemote> copy = Map.copyOf(remotes);
        return new GitRemotes() {
            @Override
            public GitRemote resolve(String tenant, String name) {
                return copy.get(name);
            }

            @Override
            public String hide(String message) {
                String out = message;
                for (Map.Entry<String, GitRemote> r : copy.entrySet()) {
                    out = out.replace(r.getValue().url(), "remote '" + r.getKey() + "'");
                }
                return out;
            }
        };
    }
}
