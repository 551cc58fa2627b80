package dev.devloop.contracts.identity;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Binds the channel to the caller: the TLS client certificate of an internal call (verified by the server against
 * the cell's CA) must name the service the token says is calling ({@code azp}) — as its common name, or as the
 * first label of a DNS name. So a stolen token is useless without that service's key, and one service's
 * certificate cannot carry another's token.
 */
public final class ClientCertificates {
    /** What an internal call must present: {@code optional} checks a certificate when one is sent. */
    public enum Mode {
        OPTIONAL,
        REQUIRED
    }

    private ClientCertificates() {}

    /**
     * Refuses the call unless its certificate chain (null or empty when the client sent none, or the connection is
     * not TLS) names {@code service}; {@code optional} accepts a call without one.
     */
    public static void check(List<? extends Certificate> chain, String service, Mode mode) {
        if (chain == null || chain.isEmpty()) {
            if (mode == Mode.REQUIRED) {
                throw IdentityRefusal.unauthenticated(
                        "an internal call needs TLS with the calling service's client certificate");
            }
            return;
        }
        if (!(chain.get(0) instanceof X509Certificate leaf)) {
            throw IdentityRefusal.unauthenticated("the client certificate is not X.509");
        }
        if (!names(leaf, service)) {
            throw IdentityRefusal.unauthenticated(
                    "the client certificate does not belong to " + service + ", the service the token names");
        }
    }

    static boolean names(X509Certificate certificate, String service) {
        String wanted = service.toLowerCase(Locale.ROOT);
        if (wanted.equals(commonName(certificate.getSubjectX500Principal().getName()))) {
            return true;
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))
                            && wanted.equals(firstLabel(String.valueOf(alternative.get(1))))) {
                        return true;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return false;
    }

    static String commonName(String distinguishedName) {
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT);
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    static String firstLabel(String dnsName) {
        int dot = dnsName.indexOf('.');
        return (dot < 0 ? dnsName : dnsName.substring(0, dot)).toLowerCase(Locale.ROOT);
    }
}
