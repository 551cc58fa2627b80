import dev.devloop.contracts.identity.ServiceKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jose4j.jwk.JsonWebKeySet;

/**
 * deploy/devloop identity-keys: a production key set for the cell, one private key per service ({@code
 * <service>.jwk.json}) and one {@code jwks.json} with their public halves, made by the same code the services use
 * (ServiceKeys.createKey). Refuses a directory that already holds keys: a second set would not match the first.
 * Usage: java -cp <contracts + jose4j> IdentityKeys.java <dir> <service>...
 */
public final class IdentityKeys {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: IdentityKeys <dir> <service>...");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath().normalize();
    if (Files.exists(dir.resolve(ServiceKeys.KEY_SET))) {
      System.err.println(dir.resolve(ServiceKeys.KEY_SET) + " exists: choose an empty directory (to rotate a key,"
          + " see deploy/README.md#service-identity-keys)");
      System.exit(1);
    }
    for (int i = 1; i < args.length; i++) {
      if (Files.exists(dir.resolve(args[i] + ".jwk.json"))) {
        System.err.println(dir.resolve(args[i] + ".jwk.json") + " exists: choose an empty directory");
        System.exit(1);
      }
    }
    for (int i = 1; i < args.length; i++) {
      System.out.println(args[i] + ": key " + ServiceKeys.createKey(dir, args[i]).getKeyId());
    }
    Files.deleteIfExists(dir.resolve(".lock"));
    int published = new JsonWebKeySet(Files.readString(dir.resolve(ServiceKeys.KEY_SET))).getJsonWebKeys().size();
    if (published != args.length - 1) {
      throw new IllegalStateException(ServiceKeys.KEY_SET + " holds " + published + " keys, expected " + (args.length - 1));
    }
    System.out.println(ServiceKeys.KEY_SET + ": " + published + " public keys");
  }
}
