package dev.devloop.contracts.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The operator's tool for the cell's keys: {@code keys <dir> <service>...} creates a private key per service and the
 * shared {@code jwks.json} (for the chart's Secret); {@code token <dir> <signer> <audience> <tenant> [seconds]}
 * prints a token the signer's key signs for the audience (to call one service directly while debugging, or for a
 * benchmark's baseline).
 */
public final class IdentityCli {
    public static void main(String[] args) {
        if (args.length >= 3 && args[0].equals("keys")) {
            Path dir = Path.of(args[1]);
            for (String service : List.of(args).subList(2, args.length)) {
                if (Files.exists(dir.resolve(service + ".jwk.json"))) {
                    System.err.println("keep " + service + ": " + dir.resolve(service + ".jwk.json") + " exists");
                    continue;
                }
                System.out.println(ServiceKeys.createKey(dir, service).getKeyId());
            }
        } else if ((args.length == 5 || args.length == 6) && args[0].equals("token")) {
            long seconds = args.length == 6 ? Long.parseLong(args[5]) : 60;
            ServiceKeys keys = ServiceKeys.open(Path.of(args[1]), args[2], true);
            ServiceTokens tokens = new ServiceTokens(keys, "devloop-cell", Duration.ofSeconds(seconds));
            String tenant = args[4].isEmpty() ? null : args[4];
            System.out.println(tokens.token(args[3], tenant, args[2], List.of()));
        } else {
            System.err.println("usage: IdentityCli keys <dir> <service>...\n"
                    + "       IdentityCli token <dir> <signer> <audience> <tenant|''> [seconds, 5..300]");
            System.exit(2);
        }
    }

    private IdentityCli() {}
}
