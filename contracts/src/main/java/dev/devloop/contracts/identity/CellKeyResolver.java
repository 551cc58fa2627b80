package dev.devloop.contracts.identity;

import java.security.Key;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/** Resolves a signature's {@code kid} against the cell's key set, re-reading the set once when the id is new. */
public final class CellKeyResolver implements VerificationKeyResolver {
    private final ServiceKeys keys;

    public CellKeyResolver(ServiceKeys keys) {
        this.keys = keys;
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null) {
            throw new UnresolvableKeyException("the signature has no kid");
        }
        JsonWebKey key = find(kid, false);
        if (key == null) {
            key = find(kid, true);
        }
        if (!(key instanceof PublicJsonWebKey publicKey)) {
            throw new UnresolvableKeyException("no trusted key " + kid);
        }
        return publicKey.getPublicKey();
    }

    private JsonWebKey find(String kid, boolean reload) {
        return keys.trustedKeys(reload).findJsonWebKey(kid, null, null, null);
    }
}
