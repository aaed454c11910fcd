package org.esfdw.transport;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;

/**
 * tls_verify false: any certificate, for any host name. Being an X509ExtendedTrustManager, it replaces
 * JSSE's checks, host name included, for the clients built with it only (JSSE wraps a plain
 * X509TrustManager in a check of its own, and java.net.http's switch to turn host checks off is JVM-wide).
 * The C side allows the option to superusers only, with a warning.
 */
final class TrustEverything extends ClientSideTrustManager {

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // trusted by the option's definition
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // trusted by the option's definition
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // trusted by the option's definition
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
