package dev.devloop.contracts.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The key directory of one service: its private signing key ({@code <service>.jwk.json}) and the cell's public key
 * set ({@code jwks.json}). Both files are re-read when their modification time changes, so an operator rotates a
 * key by adding its public half to {@code jwks.json} everywhere first, then replacing the private file.
 *
 * <p>A key id is {@code <service>.<suffix>}: the verifier checks that a token's {@code azp} is the service that
 * owns the key that signed it, so one service's key cannot speak for another.
 */
public final class ServiceKeys {
    public static final String KEY_SET = "jwks.json";
    private static final long RECHECK_NANOS = 1_000_000_000L;
    private static final long FORCED_RECHECK_NANOS = 200_000_000L;

    private final Path dir;
    private final String service;

    private volatile Loaded<PublicJsonWebKey> signing;
    private volatile Loaded<JsonWebKeySet> trusted;
    /** When an unknown key id last made us re-read the key set: at most five reads a second. */
    private long lastForcedRead;

    private record Loaded<T>(T value, FileTime modified, long checkedAt) {}

    private ServiceKeys(Path dir, String service) {
        this.dir = dir;
        this.service = service;
    }

    /**
     * Opens the directory for {@code service}; with {@code generateMissing} creates the service's key and publishes
     * its public half to the key set when there is none yet. Fails when the service has no key to sign with.
     */
    public static ServiceKeys open(Path dir, String service, boolean generateMissing) {
        if (service == null || !service.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException(
                    "devloop.identity.service must be a lower-case service name: " + service);
        }
        ServiceKeys keys = new ServiceKeys(dir, service);
        Path own = keys.privateKeyFile();
        if (generateMissing && !Files.exists(own)) {
            keys.generate();
        }
        if (!Files.isReadable(own)) {
            throw new IllegalStateException("no signing key for " + service + " at " + own
                    + " (create the cell's keys with `deploy/devloop identity-keys`, or set"
                    + " devloop.identity.generate-missing=true on a single machine)");
        }
        keys.signingKey();
        keys.trustedKeys(false);
        return keys;
    }

    public String service() {
        return service;
    }

    public Path privateKeyFile() {
        return dir.resolve(service + ".jwk.json");
    }

    /** This service's private key, re-read when its file changed. */
    public PublicJsonWebKey signingKey() {
        Loaded<PublicJsonWebKey> current = signing;
        long now = System.nanoTime();
        if (current != null && now - current.checkedAt() < RECHECK_NANOS) {
            return current.value();
        }
        synchronized (this) {
            current = signing;
            FileTime modified = modified(privateKeyFile());
            if (current == null || !current.modified().equals(modified)) {
                PublicJsonWebKey key = readPrivate(privateKeyFile());
                String kid = key.getKeyId();
                if (kid == null || !service.equals(owner(kid))) {
                    throw new IllegalStateException(
                            "the key id of " + privateKeyFile() + " must start with '" + service + ".': " + kid);
                }
                current = new Loaded<>(key, modified, now);
            } else {
                current = new Loaded<>(current.value(), modified, now);
            }
            signing = current;
            return current.value();
        }
    }

    /**
     * The public keys the cell trusts, re-read when {@code jwks.json} changed; {@code force} re-reads it at once
     * (an unknown key id may mean a key was just published), at most five times a second.
     */
    public JsonWebKeySet trustedKeys(boolean force) {
        Loaded<JsonWebKeySet> current = trusted;
        long now = System.nanoTime();
        if (current != null && !force && now - current.checkedAt() < RECHECK_NANOS) {
            return current.value();
        }
        synchronized (this) {
            current = trusted;
            if (force && current != null && lastForcedRead != 0 && now - lastForcedRead < FORCED_RECHECK_NANOS) {
                return current.value();
            }
            Path file = dir.resolve(KEY_SET);
            FileTime modified = modified(file);
            if (force || current == null || !current.modified().equals(modified)) {
                current = new Loaded<>(readSet(file), modified, now);
            } else {
                current = new Loaded<>(current.value(), modified, now);
            }
            if (force) {
                lastForcedRead = now;
            }
            trusted = current;
            return current.value();
        }
    }

    /** The compact ES256 JWS of {@code claims}, signed with {@code key} and naming it as {@code kid}. */
    public static String sign(PublicJsonWebKey key, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyId(), e);
        }
    }

    /** The service a key id belongs to: the part before the first dot. */
    public static String owner(String kid) {
        int dot = kid.indexOf('.');
        return dot <= 0 ? null : kid.substring(0, dot);
    }

    /** Creates a key for {@code service} in {@code dir} and adds its public half to the key set (under a file lock). */
    public static PublicJsonWebKey createKey(Path dir, String service) {
        ServiceKeys keys = new ServiceKeys(dir, service);
        keys.generate();
        return readPrivate(keys.privateKeyFile());
    }

    private void generate() {
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(
                            dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (Files.exists(privateKeyFile())) {
                    return; // another process of this service made it while we waited
                }
                EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
                key.setKeyId(service + "." + suffix());
                key.setUse("sig");
                key.setAlgorithm("ES256");
                JsonWebKeySet set =
                        Files.exists(dir.resolve(KEY_SET)) ? readSet(dir.resolve(KEY_SET)) : new JsonWebKeySet();
                PublicJsonWebKey published = PublicJsonWebKey.Factory.newPublicJwk(key.getPublicKey());
                published.setKeyId(key.getKeyId());
                published.setUse("sig");
                published.setAlgorithm("ES256");
                set.addJsonWebKey(published);
                writeAtomically(privateKeyFile(), key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), true);
                writeAtomically(dir.resolve(KEY_SET), set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the signing key of " + service + " in " + dir, e);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot create the signing key of " + service, e);
        }
    }

    private static String suffix() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        StringBuilder hex = new StringBuilder(Long.toString(System.currentTimeMillis() / 1000, 36));
        for (byte b : random) {
            hex.append(String.format(Locale.ROOT, "%02x", b));
        }
        return hex.toString();
    }

    private static void writeAtomically(Path file, String json, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a non-POSIX file system keeps its default permissions
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static PublicJsonWebKey readPrivate(Path file) {
        try {
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(file));
            if (key.getPrivateKey() == null || !"EC".equals(key.getKeyType())) {
                throw new IllegalStateException(file + " must hold a private EC P-256 key");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JoseException e) {
            throw new IllegalStateException(file + " is not a JSON Web Key", e);
        }
    }

    private static JsonWebKeySet readSet(Path file) {
        try {
            JsonWebKeySet set = new JsonWebKeySet(Files.readString(file));
            List<JsonWebKey> keys = set.getJsonWebKeys();
            for (JsonWebKey key : keys) {
                if (key.getKeyId() == null || owner(key.getKeyId()) == null) {
                    throw new IllegalStateException(file + ": every key needs a kid of the form <service>.<suffix>");
                }
            }
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JoseException e) {
            throw new IllegalStateException(file + " is not a JSON Web Key Set", e);
        }
    }
}
