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
            Path dir = Path.of(args[1]).toAbsolutePath().normalize();
            // a second set next to a first would not match it: rotation is a per-key procedure (deploy/README.md)
            List<String> services = List.of(args).subList(2, args.length);
            for (String existing : new String[] {ServiceKeys.KEY_SET, services.get(0) + ".jwk.json"}) {
                if (Files.exists(dir.resolve(existing))) {
                    System.err.println(dir.resolve(existing) + " exists: choose an empty directory");
                    System.exit(1);
                }
            }
            for (String service : services) {
                if (Files.exists(dir.resolve(service + ".jwk.json"))) {
                    System.err.println(dir.resolve(service + ".jwk.json") + " exists: choose an empty directory");
                    System.exit(1);
                }
            }
            for (String service : services) {
                System.out.println(
                        service + ": key " + ServiceKeys.createKey(dir, service).getKeyId());
            }
            try {
                Files.deleteIfExists(dir.resolve(".lock"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.out.println(ServiceKeys.KEY_SET + ": " + services.size() + " public keys");
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
