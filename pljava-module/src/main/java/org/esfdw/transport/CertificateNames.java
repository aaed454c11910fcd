package org.esfdw.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The host names and addresses a server certificate is valid for, and whether a host is one of them (RFC
 * 6125 as the JDK applies it: subjectAltName entries, the subject's common name only when there is no DNS
 * entry, a wildcard only in the leftmost label and never over a single-label suffix). es_fdw checks the
 * host itself, so the check holds per client whatever JVM-wide switch turns java.net.http's check off,
 * and so its error can list the names.
 */
final class CertificateNames {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private CertificateNames() {
    }

    /** "DNS:localhost", "IP:127.0.0.1", or "CN=name" when the certificate has no subjectAltName. */
    static List<String> of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        for (List<?> entry : subjectAltNames(certificate)) {
            if (entry.get(0).equals(SAN_DNS)) {
                names.add("DNS:" + entry.get(1));
            } else if (entry.get(0).equals(SAN_IP)) {
                names.add("IP:" + entry.get(1));
            }
        }
        if (names.isEmpty()) {
            commonNames(certificate).forEach(cn -> names.add("CN=" + cn));
        }
        return names;
    }

    static boolean matches(X509Certificate certificate, String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return isIpLiteral(bare) ? matchesAddress(certificate, bare) : matchesName(certificate, bare);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    private static boolean matchesAddress(X509Certificate certificate, String host) {
        byte[] address = literalAddress(host);
        return address != null && subjectAltNames(certificate).stream()
                .filter(entry -> entry.get(0).equals(SAN_IP))
                .anyMatch(entry -> Arrays.equals(address, literalAddress((String) entry.get(1))));
    }

    /** The bytes of an IP literal; never a DNS lookup, since only literals reach InetAddress here. */
    private static byte[] literalAddress(String literal) {
        if (!isIpLiteral(literal)) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean matchesName(X509Certificate certificate, String host) {
        List<String> dnsNames = subjectAltNames(certificate).stream().filter(entry -> entry.get(0).equals(SAN_DNS))
                .map(entry -> (String) entry.get(1)).toList();
        List<String> candidates = dnsNames.isEmpty() ? commonNames(certificate) : dnsNames;
        String name = normalized(host);
        return candidates.stream().anyMatch(pattern -> matchesPattern(normalized(pattern), name));
    }

    private static boolean matchesPattern(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        int patternDot = pattern.indexOf('.');
        int hostDot = host.indexOf('.');
        if (patternDot < 0 || hostDot < 0 || pattern.indexOf('.', patternDot + 1) < 0) {
            return false;
        }
        String leftmost = pattern.substring(0, patternDot);
        if (!leftmost.contains("*") || pattern.indexOf('*', patternDot) >= 0
                || !pattern.substring(patternDot).equals(host.substring(hostDot))) {
            return false;
        }
        String[] parts = leftmost.split("\\*", -1);
        String label = host.substring(0, hostDot);
        return parts.length == 2 && label.length() >= parts[0].length() + parts[1].length()
                && label.startsWith(parts[0]) && label.endsWith(parts[1]);
    }

    private static String normalized(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static List<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : List.copyOf(names);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static List<String> commonNames(X509Certificate certificate) {
        try {
            List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            return rdns.stream().filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(rdn -> rdn.getValue().toString()).toList();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }
}
